# nginx's per-key limit on the HTTPS listener: 60/min with a burst of 10,
# answered with 429, Retry-After and the JSON error envelope.  The
# loopback listener has no per-key limit.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Qre;

my ($email, $tok) = new_account('enterprise');
my (%count, $limited);
for (1 .. 20) {
	my $r = api_https(GET => '/api/tokens', token => $tok);
	$count{$r->{status}}++;
	$limited //= $r if $r->{status} == 429;
}
# 1 r/s refills one slot per second; the loop may earn a few.
ok($count{200} >= 11 && $count{200} <= 15, "about burst + 1 allowed ($count{200})");
ok(($count{429} // 0) >= 5, "the rest refused with 429 (" . ($count{429} // 0) . ")");
is($count{200} + ($count{429} // 0), 20, 'nothing but 200 and 429');
is($limited->{json}{success}, 0, '429 body is the JSON envelope');
is($limited->{json}{error}{code}, 'rate_limited', '429 code');
like($limited->{json}{error}{message}, qr/60 requests per minute/, '429 message');
is($limited->{headers}{'retry-after'}, 1, 'Retry-After: the limit refills a request a second');
is($limited->{headers}{'content-type'}, 'application/json', 'JSON content type');

# Another key is not affected.
my ($e2, $tok2) = new_account('enterprise');
is(api_https(GET => '/api/tokens', token => $tok2)->{status}, 200,
    'another key is not limited');
# The loopback listener has no per-key limit.
my $ok = grep { api(GET => '/api/tokens', token => $tok)->{status} == 200 } 1 .. 30;
is($ok, 30, 'loopback listener: 30 of 30 allowed');
done_testing();
