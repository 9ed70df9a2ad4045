# Request core: /healthz, 404/405, 400, 413, 415, the error envelope.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Qre;

my $tok = env('QRE_TOKEN');

my $r = api(GET => '/healthz');
is($r->{status}, 200, 'healthz 200');
is_deeply($r->{json}, { success => JSON::PP::true,
    data => { status => 'ok', database => 'ok' } }, 'healthz body');
is($r->{headers}{'content-type'}, 'application/json', 'JSON content type');

$r = api(HEAD => '/healthz');
is($r->{status}, 200, 'HEAD healthz 200');
is($r->{content} // '', '', 'HEAD has no body');

sub is_error {
	my ($r, $status, $code, $what) = @_;
	is($r->{status}, $status, "$what: status $status");
	ok($r->{json} && $r->{json}{success} == 0, "$what: success false");
	is($r->{json} && $r->{json}{error}{code}, $code, "$what: code $code");
	ok($r->{json} && length($r->{json}{error}{message}) > 0,
	    "$what: has a message");
}

is_error(api(GET => '/api/nope', token => $tok), 404, 'not_found', 'unknown API path');
is_error(api(GET => '/api/tokens/x/y', token => $tok), 404, 'not_found', 'extra segment');
$r = api(PUT => '/api/tokens', token => $tok, body => {});
is_error($r, 405, 'method_not_allowed', 'PUT /api/tokens');
is($r->{headers}{allow}, 'POST, GET', 'Allow header lists the methods');
is_error(api(DELETE => '/healthz'), 405, 'method_not_allowed', 'DELETE /healthz');

# Malformed JSON bodies: 400 with a reason.
for my $case (['{"name":', 'truncated'], ['{"name": "x",}', 'trailing comma'],
    ["{'name': 'x'}", 'single quotes'], ['[1,2]', 'array'], ['', 'empty'],
    ['{"name":"x"} garbage', 'trailing garbage'], ["{\"name\":\"\xff\"}", 'bad UTF-8'],
    ['{"a":' x 5000 . '1' . '}' x 5000, 'nesting bomb']) {
	$r = api(POST => '/api/tokens', token => $tok, body => $case->[0]);
	is_error($r, 400, 'invalid_json', "body $case->[1]");
}
like(api(POST => '/api/tokens', token => $tok, body => '{"a":' x 50 . '1' . '}' x 50)
    ->{json}{error}{message}, qr/nesting deeper than 16/, 'depth named');

# Wrong field type names the field.
$r = api(POST => '/api/tokens', token => $tok, body => { name => 42 });
is_error($r, 400, 'invalid_field', 'name as number');
is($r->{json}{error}{message}, 'name must be a string', 'message names the field');

# 415 for a body that is not JSON.
$r = api(POST => '/api/tokens', token => $tok, body => 'name=x',
    headers => { 'Content-Type' => 'application/x-www-form-urlencoded' });
is_error($r, 415, 'unsupported_media_type', 'form body');

# 413: qre's own limit on the loopback listener (nginx allows 1m there)...
my $big = '{"name":"' . ('x' x 70000) . '"}';
$r = api(POST => '/api/tokens', token => $tok, body => $big);
is_error($r, 413, 'payload_too_large', 'qre refuses a 70 kB body');
like($r->{json}{error}{message}, qr/65536 bytes/, 'limit named');
# ... and nginx's on the public HTTPS listener, with the same envelope.
$r = api_https(POST => '/api/tokens', token => $tok, body => $big);
is_error($r, 413, 'payload_too_large', 'nginx refuses it over HTTPS');

# Plain HTTP on the public port redirects to HTTPS.
my ($port) = env('QRE_BASE_URL') =~ /:(\d+)$/;
my $redirect = env('QRE_REDIRECT_URL') // 'http://localhost:8080';
my $head = `curl -s -o /dev/null -D - $redirect/api/tokens`;
like($head, qr{^HTTP/1.1 301}m, 'http -> 301');
like($head, qr{^Location: https://localhost:$port/api/tokens}mi, 'to https');

# After all that, the service still answers and nothing was stored.
is(api(GET => '/healthz')->{status}, 200, 'still healthy');
is(mysql_value("SELECT COUNT(*) FROM tokens WHERE name LIKE 'xxxx%'"), 0,
    'no bad input stored');
done_testing();
