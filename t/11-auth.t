# Bearer tokens: good, missing, malformed, wrong prefix, unknown, revoked;
# lastUsed written at most once per interval.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Qre;

my ($email, $tok) = new_account('free');
my $r = api(GET => '/api/tokens', token => $tok);
is($r->{status}, 200, 'good token: 200');
is($r->{json}{data}{tokens}[0]{name}, 'test', 'sees its own token');

sub is_401 {
	my ($r, $what, $msg) = @_;
	is($r->{status}, 401, "$what: 401");
	is($r->{json}{error}{code}, 'unauthorized', "$what: code");
	like($r->{json}{error}{message}, $msg, "$what: message") if $msg;
}

is_401(api(GET => '/api/tokens'), 'missing header', qr/Missing/);
is_401(api(GET => '/api/tokens', headers => { Authorization => "Basic $tok" }),
    'Basic scheme', qr/Malformed/);
(my $noprefix = $tok) =~ s/^qre_/abc_/;
is_401(api(GET => '/api/tokens', token => $noprefix), 'wrong prefix', qr/Malformed/);
is_401(api(GET => '/api/tokens', token => 'qre_short'), 'too short', qr/Malformed/);
is_401(api(GET => '/api/tokens', token => 'qre_' . ('A' x 40)), 'unknown', qr/Unknown/);
is_401(api(GET => '/api/tokens', token => substr($tok, 0, -1) . '-'), 'bad character');
is_401(api(GET => '/api/tokens', headers => { Authorization => "Bearer" }),
    'scheme only');

# lastUsed: set by the first use, not rewritten within the interval.
my $lu1 = mysql_value("SELECT last_used_at FROM tokens t JOIN accounts a ON "
    . "a.id = t.account_id WHERE a.email = '$email'");
ok(defined $lu1, "lastUsed set after first use ($lu1)");
sleep 1.1;
api(GET => '/api/tokens', token => $tok) for 1 .. 3;
my $lu2 = mysql_value("SELECT last_used_at FROM tokens t JOIN accounts a ON "
    . "a.id = t.account_id WHERE a.email = '$email'");
is($lu2, $lu1, 'not rewritten within the minute');
$r = api(GET => '/api/tokens', token => $tok);
like($r->{json}{data}{tokens}[0]{lastUsed}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    'lastUsed shown as RFC 3339');

# Revoked through qre-admin: refused at once, on every worker.
my ($rc, $out) = admin('token', 'revoke', '--account', $email, '--name', 'test');
is($rc, 0, 'qre-admin token revoke');
is_401(api(GET => '/api/tokens', token => $tok), "revoked token (try $_)", qr/revoked/)
    for 1 .. 4;

# Revoked through the API, by another token of the same account.
my ($rc2, $t2) = admin('token', 'create', '--account', $email, '--name', 'a');
chomp $t2;
my ($rc3, $t3) = admin('token', 'create', '--account', $email, '--name', 'b');
chomp $t3;
is(api(GET => '/api/tokens', token => $t2)->{status}, 200, 'second token works');
$r = api(DELETE => '/api/tokens/a', token => $t3);
is($r->{status}, 200, 'revoke via API');
is($r->{json}{message}, 'Token revoked', 'revoke message');
is_401(api(GET => '/api/tokens', token => $t2), 'revoked via API');
is(api(GET => '/api/tokens', token => $t3)->{status}, 200, 'the other still works');
done_testing();
