# Two accounts: B can neither read, change nor delete A's codes (404, the
# same answer as for an id that does not exist, and A's code unchanged),
# B's listing never shows A's codes, and tokens are listed per account.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use JSON::PP ();
use Qre;

my $T = JSON::PP::true;
my ($email_a, $tok_a) = new_account('pro');
my ($email_b, $tok_b) = new_account('pro');
my $acct_a = mysql_value("SELECT id FROM accounts WHERE email = '$email_a'");

sub generate {
	my ($tok, %body) = @_;
	return api(POST => '/api/codes/generate', token => $tok, body => \%body);
}

sub row {
	my ($id) = @_;
	return mysql_value("SELECT CONCAT_WS('|', account_id, IFNULL(name, '~'), "
	    . "HEX(data), IFNULL(target, '~'), is_active, updated_at) FROM codes "
	    . "WHERE public_id = '$id'");
}

my $r = generate($tok_a, type => 'qr', data => 'A static', name => 'A one',
    saveToLibrary => $T);
is($r->{status}, 201, 'A creates a static code');
my $sa = $r->{json}{data}{id};
$r = generate($tok_a, type => 'qr', data => 'https://a.example/dest',
    isDynamic => $T, name => 'A dynamic');
is($r->{status}, 201, 'A creates a dynamic code');
my $da = $r->{json}{data}{id};
my %row = map { $_ => row($_) } $sa, $da;
like($row{$sa}, qr/^$acct_a\|/, "A's static code belongs to A");
my %get_a = map { $_ => api(GET => "/api/codes/$_", token => $tok_a)->{json}{data} } $sa, $da;

# What "not found" looks like for an id that does not exist at all.
my $nobody = 'Zz0Zz0Zz0Zz0Zz0Z';
my $none = api(GET => "/api/codes/$nobody", token => $tok_b);
is($none->{status}, 404, 'unknown id: 404');

for my $id ($sa, $da) {
	my $what = $id eq $sa ? 'static' : 'dynamic';
	my @tries = (
	    [GET => undef],
	    [PUT => { name => 'taken by B' }],
	    [PUT => { isActive => JSON::PP::false }],
	    [PUT => $id eq $da ? { targetUrl => 'https://evil.example/' }
	        : { data => 'changed by B' }],
	    [DELETE => undef],
	);
	for my $t (@tries) {
		my ($m, $body) = @$t;
		my $label = "B $m A's $what code" . ($body ? ' ' . join(',', sort keys %$body) : '');
		$r = api($m, "/api/codes/$id", token => $tok_b,
		    defined $body ? (body => $body) : ());
		is($r->{status}, 404, "$label: 404");
		is($r->{json}{error}{code}, 'not_found', "$label: not_found");
		(my $msg = $r->{json}{error}{message} // '') =~ s/\Q$id\E/ID/;
		(my $want = $none->{json}{error}{message} // '') =~ s/\Q$nobody\E/ID/;
		is($msg, $want, "$label: same message as for an unknown id");
		unlike($r->{content}, qr/A one|A dynamic|A static|a\.example/,
		    "$label: nothing of A's code in the answer");
	}
	is(row($id), $row{$id}, "A's $what code unchanged in the database");
	my $again = api(GET => "/api/codes/$id", token => $tok_a);
	is($again->{status}, 200, "A still reads its $what code");
	is_deeply($again->{json}{data}, $get_a{$id}, "A's $what code unchanged through the API");
}

# Listings: each account sees only its own codes.
$r = api(GET => '/api/codes', token => $tok_b);
is($r->{status}, 200, 'B lists its codes');
is($r->{json}{data}{total}, 0, 'B: total 0');
is_deeply($r->{json}{data}{codes}, [], "B: none of A's codes");
$r = generate($tok_b, type => 'barcode', barcodeFormat => 'CODE128',
    data => 'B code', saveToLibrary => $T);
is($r->{status}, 201, 'B creates a code');
my $sb = $r->{json}{data}{id};
for my $q ('', '?type=qr', '?type=barcode', '?limit=100&offset=0') {
	my $rb = api(GET => "/api/codes$q", token => $tok_b)->{json}{data};
	my $ra = api(GET => "/api/codes$q", token => $tok_a)->{json}{data};
	my @b = map { $_->{id} } @{ $rb->{codes} };
	my @a = map { $_->{id} } @{ $ra->{codes} };
	my $want_b = $q eq '?type=qr' ? [] : [$sb];
	my $want_a = $q eq '?type=barcode' ? [] : [$da, $sa];
	is_deeply(\@b, $want_b, "B's list$q: only B's code");
	is($rb->{total}, scalar @$want_b, "B's total$q");
	is_deeply(\@a, $want_a, "A's list$q: only A's codes");
	is($ra->{total}, scalar @$want_a, "A's total$q");
}
is(api(GET => "/api/codes/$sb", token => $tok_a)->{status}, 404,
    "A cannot read B's code either");

# Tokens: listed only for their account, revocable only by it.
$r = api(POST => '/api/tokens', token => $tok_a, body => { name => 'a-extra' });
is($r->{status}, 201, 'A creates a second token');
my $extra = $r->{json}{data}{token};
my @names_a = map { $_->{name} } @{ api(GET => '/api/tokens', token => $tok_a)->{json}{data}{tokens} };
my @names_b = map { $_->{name} } @{ api(GET => '/api/tokens', token => $tok_b)->{json}{data}{tokens} };
is_deeply(\@names_a, ['test', 'a-extra'], "A's tokens: its two");
is_deeply(\@names_b, ['test'], "B's tokens: only its own");
$r = api(DELETE => '/api/tokens/a-extra', token => $tok_b);
is($r->{status}, 404, "B cannot revoke A's token: 404");
$r = api(GET => '/api/codes', token => $extra);
is($r->{status}, 200, "A's second token still works");
is_deeply([sort map { $_->{id} } @{ $r->{json}{data}{codes} }], [sort $sa, $da],
    "A's second token sees A's codes, not B's");
is(api(GET => "/api/codes/$sb", token => $extra)->{status}, 404,
    "A's second token cannot read B's code");

# Deleting is per account too: B deletes its own, A's stay.
is(api(DELETE => "/api/codes/$sb", token => $tok_b)->{status}, 200, 'B deletes its own code');
is(mysql_value("SELECT COUNT(*) FROM codes WHERE account_id = $acct_a"), 2,
    "A's two codes are still there");
done_testing();
