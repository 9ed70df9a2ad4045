# What a request names is looked up exactly (schema/005_exact_names.sql):
# a trailing space is part of a name or an id.  The _bin collations the
# columns had are PAD SPACE ('a' = 'a '), so DELETE /api/tokens/victim%20
# revoked the token named "victim"; the _nopad_bin ones compare every byte.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(sleep);
use Qre;

my ($email, $tok) = new_account('enterprise');
my $account = mysql_value("SELECT id FROM accounts WHERE email = '$email'");

sub token {
	my ($name) = @_;
	return api(POST => '/api/tokens', token => $tok, body => { name => $name });
}

sub live {
	my ($name) = @_;
	return mysql_value("SELECT COUNT(*) FROM tokens WHERE account_id = $account "
	    . "AND revoked_at IS NULL AND name = '$name'");
}

# ---- tokens: revoke by name ------------------------------------------------

my $victim = token('victim');
is($victim->{status}, 201, 'a token named "victim"');
my $r = api(DELETE => '/api/tokens/victim%20', token => $tok);
is($r->{status}, 404, 'revoke "victim ": 404');
is($r->{json}{error}{code}, 'not_found', 'not_found');
is($r->{json}{error}{message}, "No token named 'victim '", 'naming what was asked');
is(api(GET => '/api/tokens', token => $victim->{json}{data}{token})->{status},
    200, '"victim" still works');
is(live('victim'), 1, '"victim" is not revoked');

# Two names that differ by a trailing space are two tokens; the unique
# key on live names still refuses a second "victim".
my $spaced = token('victim ');
is($spaced->{status}, 201, '"victim " is another name: 201');
is($spaced->{json}{data}{name}, 'victim ', 'stored with its space');
$r = token('victim');
is($r->{status}, 409, 'a second "victim": 409');
is($r->{json}{error}{code}, 'conflict', 'conflict');
is(token('victim ')->{status}, 409, 'a second "victim ": 409');
is(api(DELETE => '/api/tokens/victim%20', token => $tok)->{status}, 200,
    'revoke "victim ": 200');
is(api(GET => '/api/tokens', token => $spaced->{json}{data}{token})->{status},
    401, '"victim " stops working');
is(api(GET => '/api/tokens', token => $victim->{json}{data}{token})->{status},
    200, '"victim" keeps working');
is(api(DELETE => '/api/tokens/victim', token => $tok)->{status}, 200,
    'revoke "victim": 200');
is(api(GET => '/api/tokens', token => $victim->{json}{data}{token})->{status},
    401, '"victim" stops working');

# ---- ids and short codes ---------------------------------------------------
# The API refuses ids of the wrong length before it asks the database;
# the columns compare exactly all the same, for every lookup by them.

my $code = api(POST => '/api/v1/codes', token => $tok, body => { type => 'url',
    mode => 'dynamic', payload => { url => 'https://example.com/exact' } });
is($code->{status}, 201, 'a dynamic code');
my ($id, $short) = @{ $code->{json}{data} }{qw(id shortCode)};
my $wh = api(POST => '/api/v1/webhooks', token => $tok, body => {
    url => 'http://127.0.0.1:9/exact', events => ['scan'] });
is($wh->{status}, 201, 'a webhook');
my $wid = $wh->{json}{data}{id};
my $ping = api(POST => "/api/v1/webhooks/$wid/test", token => $tok);
is($ping->{status}, 202, 'a test ping queued');
my $did = $ping->{json}{data}{id} // $ping->{json}{data}{deliveryId} // '';
like($did, qr/^[0-9A-Za-z]{16}$/, 'with its delivery id') or diag($ping->{content});

for my $c (['codes', 'public_id', $id], ['codes', 'short_code', $short],
    ['webhooks', 'public_id', $wid], ['deliveries', 'public_id', $did],
    ['tokens', 'name', 'test', "account_id = $account AND "]) {
	my ($table, $col, $v, $and) = @$c;
	$and //= '';
	is(mysql_value("SELECT COUNT(*) FROM $table WHERE $and$col = '$v'"), 1,
	    "$table.$col = '$v' finds it");
	is(mysql_value("SELECT COUNT(*) FROM $table WHERE $and$col = '$v '"), 0,
	    "$table.$col = '$v ' (a trailing space) does not");
}

# ---- cleanup ----------------------------------------------------------------
api(DELETE => "/api/v1/webhooks/$wid", token => $tok);
api(DELETE => "/api/v1/codes/$id", token => $tok);

done_testing();
