# POST/GET/DELETE /api/tokens: shapes, 409, names, isolation.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Qre;

my ($email, $tok) = new_account('pro');
my ($email2, $tok2) = new_account('pro');

my $r = api(POST => '/api/tokens', token => $tok, body => { name => 'ci key' });
is($r->{status}, 201, 'create: 201');
is($r->{json}{success}, 1, 'success');
is($r->{json}{data}{name}, 'ci key', 'name echoed');
like($r->{json}{data}{token}, qr/^qre_[0-9A-Za-z]{40}$/, 'token shape');
like($r->{json}{data}{createdAt}, qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, 'createdAt');
my $new = $r->{json}{data}{token};
is(api(GET => '/api/tokens', token => $new)->{status}, 200, 'new token works');
is(mysql_value("SELECT COUNT(*) FROM tokens WHERE token_hash = UNHEX(SHA2('$new', 256))"),
    1, 'stored as its SHA-256');
is(mysql_value("SELECT COUNT(*) FROM tokens WHERE HEX(token_hash) LIKE '%"
    . unpack('H*', $new) . "%'"), 0, 'never stored in clear');

$r = api(POST => '/api/tokens', token => $tok, body => { name => 'ci key' });
is($r->{status}, 409, 'same name: 409');
is($r->{json}{error}{code}, 'conflict', 'conflict code');
like($r->{json}{error}{message}, qr/^name: /, 'message names the field');
is(api(POST => '/api/tokens', token => $tok2, body => { name => 'ci key' })->{status},
    201, 'same name in another account is fine');

# Names: required, 1..200 characters, printable.
$r = api(POST => '/api/tokens', token => $tok, body => {});
is($r->{status}, 400, 'missing name: 400');
is($r->{json}{error}{message}, 'name is required', 'names the field');
is(api(POST => '/api/tokens', token => $tok, body => { name => '' })->{status}, 422, 'empty: 422');
is(api(POST => '/api/tokens', token => $tok, body => { name => 'x' x 201 })->{status}, 422, '201 chars: 422');
is(api(POST => '/api/tokens', token => $tok, body => { name => "\x{e9}" x 200 })->{status}, 201,
    '200 two-byte characters are fine');
is(api(POST => '/api/tokens', token => $tok, body => { name => "a\nb" })->{status}, 422, 'newline: 422');
is(api(POST => '/api/tokens', token => $tok, body => { name => ['x'] })->{status}, 400, 'array: 400');

# List: names and times, never a token or hash.
$r = api(GET => '/api/tokens', token => $tok);
is($r->{status}, 200, 'list: 200');
my @names = map { $_->{name} } @{ $r->{json}{data}{tokens} };
is_deeply(\@names, ['test', 'ci key', "\x{e9}" x 200], 'own tokens, oldest first');
for my $t (@{ $r->{json}{data}{tokens} }) {
	is_deeply([sort keys %$t], [qw(createdAt lastUsed name)], "fields of $t->{name}");
}
unlike($r->{content}, qr/qre_[0-9A-Za-z]{20}/, 'no token in the listing');

# Revoke: 404 for unknown or another account's; a name with a space.
is(api(DELETE => '/api/tokens/nope', token => $tok)->{status}, 404, 'unknown name: 404');
is(api(DELETE => '/api/tokens/test', token => $tok2)->{status}, 200,
    'account 2 revokes its own "test"');
is(api(GET => '/api/tokens', token => $tok)->{status}, 200,
    "account 1's token of the same name still works");
$r = api(DELETE => '/api/tokens/ci%20key', token => $tok);
is($r->{status}, 200, 'revoke percent-encoded name');
is(api(GET => '/api/tokens', token => $new)->{status}, 401, 'revoked token refused');
is(api(POST => '/api/tokens', token => $tok, body => { name => 'ci key' })->{status}, 201,
    'a revoked name can be used again');
done_testing();
