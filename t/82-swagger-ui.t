# Swagger UI at /docs/ on the stack (scripts/vendor-docs, nginx's
# location /docs/), in Debian's headless Chromium driven by
# playwright-core: the operations are listed, Authorize takes a token,
# and GET /api/tokens tried out and executed answers 200 with
# "success": true from the same origin (t/openapi/swagger-ui.js).
# A screenshot is left in the stack's var/docs-test.png.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use HTTP::Tiny;
use NodeTap;
use Qre;

my $chromium = $ENV{QRE_CHROMIUM} // '/usr/bin/chromium';
plan skip_all => "$chromium is not installed (Debian: apt-get install chromium)"
    unless -x $chromium;
node_tools_or_fail(qw(playwright-core));

my $r = api(GET => '/docs/');
is($r->{status}, 200, 'GET /docs/ is served (scripts/stack up vendors it)')
    or BAIL_OUT('no /docs/ on the stack: run scripts/stack up');
my $res = HTTP::Tiny->new(max_redirect => 0, timeout => 10)
    ->get(env('QRE_HTTP_URL') . '/docs');
ok($res->{status} == 301 && ($res->{headers}{location} // '') =~ m{/docs/$},
    "GET /docs: $res->{status} to /docs/, not qre's short-code page");

my (undef, $tok) = new_account('enterprise');
node_tap('Swagger UI in headless Chromium', {
	QRE_STACK_ENV => $ENV{QRE_STACK_ENV} // "$ROOT/var/stack.env",
	QRE_OPENAPI_TOKEN => $tok,
	QRE_CHROMIUM => $chromium,
}, "$ROOT/t/openapi/swagger-ui.js");

done_testing();
