# nginx's per-key limit on the HTTPS listener: 60 requests a minute, all
# of which a key may spend at once (burst 59, nodelay), refilled one a
# second; answered with 429, Retry-After and the JSON error envelope.
# The loopback listener has no per-key limit.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(time);
use Qre;

# A client address of this test's own (any 127/8 address is this
# machine), so that nginx's per-address bucket is not shared with other
# tests' traffic.
my $src = join '.', 127, map { 1 + int rand 250 } 1 .. 3;

my ($email, $tok) = new_account('enterprise');
# 60 calls at once, then 20 more: on one kept-alive connection they come
# far faster than the one-a-second refill.
my $t0 = time;
my @r = api_https_batch([map { [GET => '/api/tokens', $tok] } 1 .. 80],
    source => $src);
my $elapsed = time - $t0;
my @first = grep { $_->{status} == 200 } @r[0 .. 59];
is(scalar @first, 60, 'the first 60 quick calls all succeed')
    or diag(join ' ', map { $_->{status} } @r);
my @rest = map { $_->{status} } @r[60 .. 79];
my ($limited) = grep { $_->{status} == 429 } @r[60 .. 79];
ok($limited, 'then 429') or diag("@rest");
# Unless a whole second went by (which would have refilled one).
ok($r[60]{status} == 429 || $elapsed >= 1, "the 61st is refused ($r[60]{status})");
# Each second refills one request: never more.
my $extra = grep { $_ == 200 } @rest;
ok($extra <= int($elapsed) + 1,
    "after the 60, no more than one success a second ($extra in "
    . sprintf('%.1f', $elapsed) . ' s)');
is(scalar(grep { $_ != 200 && $_ != 429 } @rest), 0, 'nothing but 200 and 429');
$limited //= { json => {}, headers => {} };
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
my $ok = grep { api(GET => '/api/tokens', token => $tok)->{status} == 200 } 1 .. 70;
is($ok, 70, 'loopback listener: 70 of 70 allowed');
done_testing();
