# Webhooks end to end: the /api/v1/webhooks API (shapes, SSRF refusals,
# other accounts' endpoints as 404, secret rotation), the test ping,
# deliveries as a receiver sees them (signed both ways, payloads field by
# field, bots and IP addresses left out), the retry schedule with jitter
# and Retry-After, 410 disabling an endpoint, timeouts and dropped
# connections, manual retry, the SSRF check at send time, the sender's
# lock, a sender killed mid-run, and no delivery sent twice once it was
# acknowledged.
#
# Receivers are t/lib/Receiver.pm on 127.0.0.1 (allowlisted by the stack's
# webhook_allow_cidrs).  The clock is moved by setting
# deliveries.next_attempt_at to UTC_TIMESTAMP().
#
# Everything runs in a sandbox (t/lib/Sandbox.pm): a MariaDB, qre-fcgi
# and webhook sender loop of this test's own (the same binaries, the
# stack's config with a 6 s webhook_timeout_ms and a 900 s run), so that
# no other test's deliveries, sender or restarts are seen here, and the
# sections that kill a sender or time one out signal only ours.  Requests
# go to the sandbox's FastCGI socket, as nginx would send them.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use HTTP::Tiny;
use JSON::PP ();
use Digest::SHA qw(hmac_sha256_hex hmac_sha256_base64);
use MIME::Base64 qw(decode_base64);
use File::Temp qw(tempdir);
use POSIX qw(_exit WNOHANG);
use Time::Local qw(timegm);
use Time::HiRes qw(sleep time);
use Qre qw(env slurp wait_until);
use Receiver;
use Sandbox;

my $T = JSON::PP::true;
my $F = JSON::PP::false;
my $MAIN = $$;
my $T0 = time;
my $TMP = tempdir(CLEANUP => !$ENV{QRE_KEEP_TMP});
diag("files in $TMP") if $ENV{QRE_KEEP_TMP};
my $ID = qr/^[0-9A-Za-z]{16}$/;
# Payload timestamps carry milliseconds (t/72 checks them to the digit).
my $RFC3339 = qr/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d{3})?Z$/;
my $BIN = env('QRE_BUILD_DIR') . '/qre-webhooks';
my $TIMEOUT_MS = 6000;		# our sender's webhook_timeout_ms
my $XFF = '203.0.113.199';	# sent with every scan; must never come back
my @WH_KEYS = qw(id url events active disabledReason failingSince createdAt
    updatedAt);
my $JSON = JSON::PP->new->canonical->utf8;

my %UA = (
	iphone => 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) '
	    . 'AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 '
	    . 'Safari/604.1',
	android => 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 '
	    . '(KHTML, like Gecko) Chrome/123.0.6312.99 Mobile Safari/537.36',
	edge => 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 '
	    . '(KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.65',
	curl => 'curl/8.5.0',
);

# ---- the sandbox and its sender ------------------------------------------------

my $SB = Sandbox->new(sender => 1, conf => { webhook_timeout_ms => $TIMEOUT_MS,
    webhook_run_seconds => 900 });
my @RECEIVERS;

END {
	if ($$ == $MAIN) {
		my $st = $?;
		$_->stop for @RECEIVERS;
		$? = $st;
	}
}

# qre-webhooks with ARGS, its output kept: (exit status, output, seconds).
sub run_sender {
	my (@args) = @_;
	my $out = "$TMP/run.out";
	my $t = time;
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>', $out);
		open(STDERR, '>&', \*STDOUT);
		exec($BIN, @args) or _exit(127);
	}
	my $end = time + 30;
	sleep 0.02 while waitpid($pid, WNOHANG) == 0 && time < $end;
	if (kill 0, $pid) {		# ours: it overran
		kill 'KILL', $pid;
		waitpid($pid, 0);
	}
	return ($? >> 8, slurp($out) // '', time - $t);
}

# Our qre-webhooks when it holds the lock, else undef.
sub own_sender { $SB->sender_pid }
sub lock_holder { $SB->sender_pid }

# ---- helpers -------------------------------------------------------------------

# A request to the sandbox's qre-fcgi (nobody else restarts it).
sub call { $SB->api(@_) }

sub keys_of { [sort keys %{ $_[0] // {} }] }

sub epoch {
	my ($s) = @_;
	return undef unless defined $s && $s =~ $RFC3339;
	return timegm($6, $5, $4, $3, $2 - 1, $1);
}

sub near_now {
	my ($s, $slack) = @_;
	my $e = epoch($s) // return 0;
	return abs($e - time) <= ($slack // 60);
}

# Every row of SQL as arrays (NULL as undef).
sub db_rows { $SB->db_rows($_[0]) }
sub db_do { $SB->db_do($_[0]) }
sub mysql_value { $SB->db_value($_[0]) }
sub new_account { $SB->new_account(@_) }

# The deliveries of webhook WID, oldest first, with the gap between the
# last attempt and the next one (seconds) and how far off that is.
sub deliveries {
	my ($wid) = @_;
	my @cols = qw(id event status attempts code error delay due_in body);
	return map { my %h; @h{@cols} = @$_; \%h } db_rows(
	    "SELECT d.public_id, d.event, d.status, d.attempts, d.last_code, "
	    . "d.last_error, TIMESTAMPDIFF(MICROSECOND, (SELECT MAX(a.attempted_at) "
	    . "FROM delivery_attempts a WHERE a.delivery_id = d.id), "
	    . "d.next_attempt_at) / 1e6, TIMESTAMPDIFF(MICROSECOND, "
	    . "UTC_TIMESTAMP(3), d.next_attempt_at) / 1e6, HEX(d.body) FROM "
	    . "deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE "
	    . "w.public_id = '$wid' ORDER BY d.id");
}

sub delivery {
	my ($wid, $did) = @_;
	my ($d) = grep { $_->{id} eq $did } deliveries($wid);
	return $d // {};
}

# Wait for a delivery of WID (the first of EVENT if given) matching COND.
sub wait_delivery {
	my ($timeout, $wid, $cond, $event) = @_;
	my $got;
	wait_until($timeout, sub {
		for my $d (deliveries($wid)) {
			next if $event && $d->{event} ne $event;
			if ($cond->($d)) {
				$got = $d;
				return 1;
			}
		}
		return 0;
	});
	return $got // {};
}

sub due_now {
	my ($did) = @_;
	db_do("UPDATE deliveries SET next_attempt_at = UTC_TIMESTAMP() WHERE "
	    . "public_id = '$did'");
}

sub receiver {
	my $r = Receiver::start(@_);
	push @RECEIVERS, $r;
	return $r;
}

sub wh_create {
	my ($tok, $url, @events) = @_;
	return call(POST => '/api/v1/webhooks', token => $tok,
	    body => { url => $url, events => \@events });
}

sub wh {
	my ($tok, $url, @events) = @_;
	my $r = wh_create($tok, $url, @events);
	die "webhook create: $r->{status} $r->{content}" unless $r->{status} == 201;
	return $r->{json}{data};
}

sub code_create {
	my ($tok, $title) = @_;
	my $r = call(POST => '/api/v1/codes', token => $tok, body => { type => 'url',
	    mode => 'dynamic', title => $title,
	    payload => { url => "https://example.com/$title" } });
	die "code create: $r->{status} $r->{content}" unless $r->{status} == 201;
	return $r->{json}{data};
}

sub scan {
	my ($code, %h) = @_;
	return $SB->api(GET => "/$code->{shortCode}",
	    headers => { 'X-Forwarded-For' => $XFF, %h });
}

# Standard Webhooks: "v1,<base64 HMAC-SHA256 of id.timestamp.body>" under
# the base64-decoded part of the secret after "whsec_"; Digest::SHA leaves
# the base64 unpadded.
sub std_sig {
	my ($secret, $id, $ts, $body) = @_;
	(my $k = $secret) =~ s/^whsec_//;
	my $b = hmac_sha256_base64("$id.$ts.$body", decode_base64($k));
	$b .= '=' while length($b) % 4;
	return "v1,$b";
}

sub qregg_ok {
	my ($req, $secret) = @_;
	return ($req->{headers}{'x-qregg-signature'} // '') eq
	    'sha256=' . hmac_sha256_hex($req->{body}, $secret);
}

sub std_ok {
	my ($req, $secret) = @_;
	my $h = $req->{headers};
	return 0 unless defined $h->{'webhook-id'} && defined $h->{'webhook-timestamp'};
	my $want = std_sig($secret, $h->{'webhook-id'}, $h->{'webhook-timestamp'},
	    $req->{body});
	return scalar grep { $_ eq $want } split ' ', $h->{'webhook-signature'} // '';
}

sub body_of { Receiver::decoded($_[0]) // {} }


sub by_event {
	my ($rcv, $event) = @_;
	return grep { (body_of($_)->{event} // '') eq $event } $rcv->requests;
}

sub by_id {
	my ($rcv, $id) = @_;
	return grep { ($_->{headers}{'webhook-id'} // '') eq $id } $rcv->requests;
}

# ---- 0. the lock, while the sandbox's sender holds it ----------------------------

SKIP: {
	wait_until(15, sub { own_sender() });
	my $spid = own_sender();
	skip "the sandbox's sender did not take the lock: " .
	    (slurp("$SB->{dir}/sender.log") // ''), 4 unless $spid;
	my ($rc, $out, $secs) = run_sender('-1', '-c', $SB->{conf});
	is($rc, 0, "a second qre-webhooks beside the running one (pid $spid): exit 0");
	like($out, qr/another qre-webhooks holds the lock/,
	    'it says another holds the lock');
	ok($secs < 3, sprintf('and exits at once (%.2f s)', $secs));
	ok(kill(0, $spid), "the running qre-webhooks runs on");
}

# ---- 1. API shapes ------------------------------------------------------------------

my ($email, $tok) = new_account('enterprise');

# GET a delivery until it is no longer pending (the sender polls every
# second); the last answer.
sub poll_delivery {
	my ($hook, $delivery, $timeout) = @_;
	my $res;
	wait_until($timeout // 10, sub {
		$res = call(GET => "/api/v1/webhooks/$hook/deliveries/" . ($delivery // '-'),
		    token => $tok);
		($res->{json}{data}{status} // 'pending') ne 'pending';
	});
	return $res;
}

# POST /test, then its settled outcome.
sub ping_outcome {
	my ($hook) = @_;
	my $q = call(POST => "/api/v1/webhooks/$hook/test", token => $tok);
	return $q unless $q->{status} == 202;
	return poll_delivery($hook, $q->{json}{data}{deliveryId});
}
my (undef, $tok_other) = new_account('enterprise');
my $shape = receiver(behaviour => '200');

my $r = wh_create($tok, "$shape->{url}/hook?x=1", 'scan', 'code.created');
is($r->{status}, 201, 'create: 201');
my $w = $r->{json}{data} // {};
is($r->{json}{success}, $T, 'success true');
is_deeply(keys_of($w), [sort @WH_KEYS, 'secret'], 'create: the fields, with the secret');
like($w->{id} // '', $ID, 'id: 16 base62 characters');
is($w->{url}, "$shape->{url}/hook?x=1", 'url echoed whole');
is_deeply($w->{events}, ['scan', 'code.created'], 'events echoed');
is($w->{active}, $T, 'active true');
like($w->{secret} // '', qr{^whsec_[A-Za-z0-9+/]{32}$}, 'secret whsec_ + 24 bytes base64');
ok(near_now($w->{createdAt}), 'createdAt RFC 3339, now');
my $secret = $w->{secret};

$r = call(GET => "/api/v1/webhooks/$w->{id}", token => $tok);
is($r->{status}, 200, 'GET: 200');
is_deeply(keys_of($r->{json}{data}), [sort @WH_KEYS], 'GET: the same fields, no secret');
is_deeply([@{ $r->{json}{data} }{qw(id url active)}], [$w->{id}, $w->{url}, $T],
    'GET: id, url, active');
is_deeply($r->{json}{data}{events}, ['scan', 'code.created'], 'GET: events');
unlike($r->{content}, qr/whsec_/, 'GET: no secret anywhere in the answer');

my $w2 = wh($tok, "$shape->{url}/two", 'code.deleted', 'ping');
is_deeply($w2->{events}, ['code.deleted'], '"ping" is accepted and implied, not listed');
$r = call(GET => '/api/v1/webhooks', token => $tok);
is($r->{status}, 200, 'list: 200');
is_deeply([map { $_->{id} } @{ $r->{json}{data} // [] }], [$w->{id}, $w2->{id}],
    'list: both, oldest first');
is_deeply([map { keys_of($_) } @{ $r->{json}{data} // [] }],
    [[sort @WH_KEYS], [sort @WH_KEYS]], 'list: no secret in any entry');
unlike($r->{content}, qr/whsec_/, 'list: no secret anywhere');

# Refused destinations (127.0.0.0/8 is allowlisted on this stack).
for my $bad (['http://10.0.0.1/', 'private 10/8'],
    ['http://192.168.1.10:8080/h', 'private 192.168/16'],
    ['http://172.16.5.5/', 'private 172.16/12'],
    ['http://100.64.0.1/', 'shared 100.64/10'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local (cloud metadata)'],
    ['http://[::2]/', 'IPv6 reserved (::1 is allowlisted here)'],
    ['http://[fe80::1]/', 'IPv6 link-local'],
    ['http://[fd00::1]/', 'IPv6 unique-local'],
    ['http://[::ffff:10.0.0.1]/', 'IPv4-mapped private'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://0.0.0.0/', 'this network'],
    ['ftp://example.com/', 'ftp://'],
    ['file:///etc/passwd', 'file://'],
    ['http://user:pw@example.com/', 'user information']) {
	my ($url, $what) = @$bad;
	$r = wh_create($tok, $url, 'scan');
	is($r->{status}, 422, "$what ($url): 422");
	like($r->{json}{error}{message} // '', qr/url/, "$what: the message names url");
}
$r = wh_create($tok, "$shape->{url}/", 'scan', 'code.exploded');
is($r->{status}, 422, 'unknown event name: 422');
like($r->{json}{error}{message} // '', qr/code\.exploded/, 'the message names it');
$r = wh_create($tok, "$shape->{url}/", ());
is($r->{status}, 422, 'empty events: 422');
like($r->{json}{error}{message} // '', qr/events/, 'the message names events');
$r = wh_create($tok, "$shape->{url}/", 'ping');
is($r->{status}, 422, 'events ["ping"] alone: 422 (nothing to deliver)');
$r = call(POST => '/api/v1/webhooks', token => $tok,
    body => { url => "$shape->{url}/", events => 'scan' });
is($r->{status}, 400, 'events not an array: 400');
$r = call(POST => '/api/v1/webhooks', token => $tok, body => { events => ['scan'] });
is($r->{status}, 400, 'no url: 400');
is(scalar @{ call(GET => '/api/v1/webhooks', token => $tok)->{json}{data} // [] }, 2,
    'nothing refused was stored');

# Another account's endpoint is not there.
for my $req (['GET', ''], ['PATCH', '', { active => $F }], ['DELETE', ''],
    ['POST', '/test'], ['GET', '/deliveries'],
    ['GET', '/deliveries/AAAAAAAAAAAAAAAA'],
    ['POST', '/deliveries/AAAAAAAAAAAAAAAA/retry']) {
	my ($m, $sfx, $body) = @$req;
	$r = call($m => "/api/v1/webhooks/$w->{id}$sfx", token => $tok_other,
	    defined $body ? (body => $body) : ());
	is($r->{status}, 404, "another account: $m .../{id}$sfx: 404");
	is($r->{json}{error}{code}, 'not_found', '... not_found');
}
is(call(GET => "/api/v1/webhooks/$w->{id}", token => $tok)->{json}{data}{active}, $T,
    "the other account's PATCH and DELETE changed nothing");
is(scalar(@{ call(GET => '/api/v1/webhooks', token => $tok_other)->{json}{data} // [1] }), 0,
    "and its list is empty");
is($shape->requests, 0, "its /test sent nothing");

# PATCH: url, events, active, rotateSecret.
$r = call(PATCH => "/api/v1/webhooks/$w->{id}", token => $tok,
    body => { url => "$shape->{url}/moved" });
is($r->{status}, 200, 'PATCH url: 200');
is($r->{json}{data}{url}, "$shape->{url}/moved", 'url changed');
ok(!exists $r->{json}{data}{secret}, 'no secret without rotateSecret');
$r = call(PATCH => "/api/v1/webhooks/$w->{id}", token => $tok,
    body => { url => 'http://10.9.9.9/' });
is($r->{status}, 422, 'PATCH url to a private address: 422');
$r = call(PATCH => "/api/v1/webhooks/$w->{id}", token => $tok, body => { events => [] });
is($r->{status}, 422, 'PATCH events []: 422');
$r = call(PATCH => "/api/v1/webhooks/$w->{id}", token => $tok,
    body => { events => ['code.updated', 'code.created', 'code.updated'] });
is($r->{status}, 200, 'PATCH events: 200');
is_deeply($r->{json}{data}{events}, ['code.created', 'code.updated'],
    'events replaced (duplicates folded)');
$r = call(PATCH => "/api/v1/webhooks/$w->{id}", token => $tok, body => { active => $F });
is($r->{json}{data}{active}, $F, 'PATCH active false');
like($r->{json}{data}{disabledReason} // '', qr/\S/, 'with a disabledReason');
$r = ping_outcome($w->{id});
is($r->{json}{data}{delivered}, $T, 'a disabled endpoint can still be pinged');
$r = call(PATCH => "/api/v1/webhooks/$w->{id}", token => $tok, body => { active => $T });
is($r->{json}{data}{active}, $T, 'PATCH active true');
is($r->{json}{data}{disabledReason}, undef, 'disabledReason cleared');
my $g = call(GET => "/api/v1/webhooks/$w->{id}", token => $tok)->{json}{data} // {};
is_deeply([$g->{url}, $g->{events}, $g->{active}],
    ["$shape->{url}/moved", ['code.created', 'code.updated'], $T],
    'GET shows every change, the refused ones left out');
$r = call(PATCH => "/api/v1/webhooks/$w->{id}", token => $tok,
    body => { rotateSecret => $T });
is($r->{status}, 200, 'PATCH rotateSecret: 200');
my $new_secret = $r->{json}{data}{secret} // '';
like($new_secret, qr{^whsec_[A-Za-z0-9+/]{32}$}, 'a new secret, shown now');
isnt($new_secret, $secret, 'not the old one');
unlike(call(GET => "/api/v1/webhooks/$w->{id}", token => $tok)->{content}, qr/whsec_/,
    'and not shown again');

# The test ping: queued for the sender (202 at once), polled until it
# settles; signed with the new secret (the old one still signs beside it).
$r = call(POST => "/api/v1/webhooks/$w->{id}/test", token => $tok);
is($r->{status}, 202, 'test ping: 202, queued');
is($r->{json}{data}{status}, 'pending', '... pending');
is($r->{json}{data}{delivered}, undef, '... delivered: null until it is tried');
$r = poll_delivery($w->{id}, $r->{json}{data}{deliveryId});
is($r->{status}, 200, 'GET deliveries/{deliveryId}: 200');
my $p = $r->{json}{data} // {};
is($p->{delivered}, $T, 'delivered true');
is($p->{statusCode}, 200, 'statusCode 200');
ok(defined $p->{latencyMs} && !ref $p->{latencyMs} && $p->{latencyMs} =~ /^\d+$/,
    'latencyMs a number (' . ($p->{latencyMs} // 'undef') . ')');
like($p->{deliveryId} // '', $ID, 'deliveryId');
my @pings = by_id($shape, $p->{deliveryId} // '-');
ok(@pings >= 1, 'the receiver got it');
my $ping = $pings[0] // { headers => {}, body => '' };
is($ping->{method}, 'POST', 'POST');
is($ping->{path}, '/moved', 'to the changed url');
is($ping->{headers}{'content-type'}, 'application/json', 'JSON');
my $pb = body_of($ping);
is_deeply(keys_of($pb), [qw(data event timestamp)], 'ping: event, data, timestamp');
is($pb->{event}, 'ping', 'event ping');
is_deeply(keys_of($pb->{data}{webhook}), [qw(id url)], 'data.webhook: id, url');
is($pb->{data}{webhook}{id}, $w->{id}, 'data.webhook.id');
is($pb->{data}{webhook}{url}, "$shape->{url}/moved", 'data.webhook.url: the endpoint');
ok(near_now($pb->{timestamp}), 'timestamp RFC 3339, now');
# During the overlap X-Qregg-Signature stays with the old secret (receivers
# that check only it keep working); the new one is X-Qregg-Signature-New.
ok(qregg_ok($ping, $secret), 'X-Qregg-Signature: HMAC with the old secret (overlap)');
is($ping->{headers}{'x-qregg-signature-new'},
    'sha256=' . hmac_sha256_hex($ping->{body}, $new_secret),
    'X-Qregg-Signature-New: the new secret');
ok(std_ok($ping, $new_secret), 'webhook-signature: v1 under the new secret');
ok(std_ok($ping, $secret), 'and one under the old secret (rotation overlap)');

# A receiver answering 500.
$shape->set_behaviour('500');
$r = ping_outcome($w->{id});
$p = $r->{json}{data} // {};
is($r->{status}, 200, 'test against 500: 200');
is($p->{delivered}, $F, 'delivered false');
is($p->{statusCode}, 500, 'statusCode 500');
like($p->{error} // '', qr/500/, 'error names the status');

# A slow receiver: the test call answers at once (no FastCGI worker waits
# on a receiver); the sender sends the ping once, and a failed ping is
# not retried.
$shape->set_behaviour('slow:4');
my $t0 = time;
$r = call(POST => "/api/v1/webhooks/$w->{id}/test", token => $tok);
my $took = time - $t0;
cmp_ok($took, '<', 2, sprintf('test against a receiver taking 4 s answers at once (%.2f s)', $took));
my $slow_id = $r->{json}{data}{deliveryId};
# Eight more pings in a row to the slow receiver: none waits on it.
$t0 = time;
my @more = map { call(POST => "/api/v1/webhooks/$w->{id}/test", token => $tok)->{status} } 1 .. 8;
$took = time - $t0;
is_deeply(\@more, [ (202) x 8 ], 'eight more pings: 202 each');
cmp_ok($took, '<', 3, sprintf('... all answered in %.2f s', $took));
$r = poll_delivery($w->{id}, $slow_id, 20);
$p = $r->{json}{data} // {};
is($p->{delivered}, $T, 'test against a receiver taking 4 s: delivered');
ok(($p->{latencyMs} // 0) >= 3900, "latencyMs $p->{latencyMs} >= 3900");
# Proves that something does NOT happen (a second send), so a bounded
# wait: more than two poll cycles of the sender.
sleep 2.5;
is(scalar(by_id($shape, $p->{deliveryId} // '-')), 1,
    'the ping reached the receiver once');
$shape->set_behaviour('200');

# Pagination of the log; DELETE.
$r = call(GET => "/api/v1/webhooks/$w->{id}/deliveries?perPage=101", token => $tok);
is($r->{status}, 422, 'deliveries perPage=101: 422');
$r = call(GET => "/api/v1/webhooks/$w->{id}/deliveries?perPage=1", token => $tok);
is($r->{status}, 200, 'deliveries perPage=1: 200');
is(scalar @{ $r->{json}{data} // [] }, 1, 'one attempt on the page');
ok(($r->{json}{pagination}{total} // 0) >= 3, 'pagination.total counts every attempt');
$r = call(DELETE => "/api/v1/webhooks/$w2->{id}", token => $tok);
is($r->{status}, 200, 'DELETE: 200');
is(call(GET => "/api/v1/webhooks/$w2->{id}", token => $tok)->{status}, 404,
    'GET after DELETE: 404');
is(call(DELETE => "/api/v1/webhooks/$w2->{id}", token => $tok)->{status}, 404,
    'DELETE again: 404');
is(call(GET => "/api/v1/webhooks/NoSuchWebhook123", token => $tok)->{status}, 404,
    'unknown id: 404');

# ---- 2. deliveries: what a receiver gets ------------------------------------------

my ($email_d, $tok_d) = new_account('enterprise');
my $rd = receiver(behaviour => '200');
my $wd = wh($tok_d, "$rd->{url}/events", 'scan', 'code.created', 'code.updated',
    'code.deleted');
my $t_start = time;
my $code = code_create($tok_d, 'hooked');
my %scanned = (iphone => ['mobile', 'iOS', 'Safari', 'https://ref.example.com/p?q=1'],
    android => ['mobile', 'Android', 'Chrome', undef],
    edge => ['desktop', 'Windows', 'Edge', undef]);
for my $ua (sort keys %scanned) {
	my %h = ('User-Agent' => $UA{$ua});
	$h{Referer} = $scanned{$ua}[3] if defined $scanned{$ua}[3];
	is(scan($code, %h)->{status}, 302, "scan ($ua): 302");
}
is(scan($code, 'User-Agent' => $UA{curl})->{status}, 302, 'scan (curl, a bot): 302');

my @scan_items;
my $got = wait_until(12, sub {
	@scan_items = map { @{ body_of($_)->{data}{scans} // [] } } by_event($rd, 'scan');
	return by_event($rd, 'code.created') && @scan_items >= 3;
});
ok(scalar by_event($rd, 'code.created'), 'code.created delivered');
ok($got, sprintf('and the scans, within %.1f s of the first one', time - $t_start));
my ($created) = by_event($rd, 'code.created');
$created //= { headers => {}, body => '{}' };
my $cb = body_of($created);
is_deeply(keys_of($cb), [qw(data event timestamp)], 'code.created: event, data, timestamp');
is_deeply(keys_of($cb->{data}), ['code'], 'data: code');
is_deeply($cb->{data}{code}, $code, 'data.code is the code as POST answered it');
ok(near_now($cb->{timestamp}), 'timestamp RFC 3339, now');

my @scan_reqs = by_event($rd, 'scan');
ok(@scan_reqs >= 1, scalar(@scan_reqs) . ' scan deliveries (batched)');
SKIP: {
skip 'no scan delivery arrived: its fields cannot be checked', 1 unless @scan_reqs;
is(scalar @scan_items, 3, 'three scans in them: the bot left out');
is(scalar(grep { ($_->{scan}{device} // '') eq 'bot' ||
    ($_->{scan}{browser} // '') eq 'curl' } @scan_items), 0, 'no bot scan');
for my $req (@scan_reqs) {
	my $b = body_of($req);
	is_deeply(keys_of($b), [qw(data event timestamp)], 'scan: event, data, timestamp');
	is_deeply(keys_of($b->{data}), ['scans'], 'data: scans');
	ok(near_now($b->{timestamp}), 'timestamp now');
}
my %by_browser = map { (($_->{scan}{browser} // '?') => $_) } @scan_items;
for my $ua (sort keys %scanned) {
	my ($device, $os, $browser, $ref) = @{ $scanned{$ua} };
	my $it = $by_browser{$browser} // {};
	is_deeply(keys_of($it), [qw(code scan)], "$ua: code and scan");
	is_deeply($it->{code}, { id => $code->{id}, shortCode => $code->{shortCode} },
	    "$ua: code {id, shortCode}");
	is_deeply(keys_of($it->{scan}), [sort qw(timestamp country city device os browser
	    referrer)], "$ua: the scan's seven fields");
	ok(near_now($it->{scan}{timestamp}), "$ua: timestamp now");
	is_deeply([@{ $it->{scan} // {} }{qw(country city device os browser referrer)}],
	    [undef, undef, $device, $os, $browser, $ref],
	    "$ua: country/city null (loopback), $device, $os, $browser, referrer");
}
}

# Change it, then delete it: each a delivery of its own.
$r = call(PATCH => "/api/v1/codes/$code->{id}", token => $tok_d,
    body => { title => 'hooked-2', destination => 'https://example.com/moved' });
is($r->{status}, 200, 'PATCH the code');
my $updated = $r->{json}{data};
ok(wait_until(8, sub { by_event($rd, 'code.updated') }), 'code.updated delivered');
my ($upd) = by_event($rd, 'code.updated');
is_deeply(body_of($upd // {})->{data}, { code => $updated },
    'code.updated: data.code is the code as PATCH answered it');
my $before = call(GET => "/api/v1/codes/$code->{id}", token => $tok_d)->{json}{data};
is(call(DELETE => "/api/v1/codes/$code->{id}", token => $tok_d)->{status}, 200,
    'DELETE the code');
ok(wait_until(8, sub { by_event($rd, 'code.deleted') }), 'code.deleted delivered');
my ($del) = by_event($rd, 'code.deleted');
is_deeply(body_of($del // {})->{data}, { code => $before },
    'code.deleted: data.code is the code as it last was');

# Every request: signed both ways, fresh, no address of anyone.
my @all = $rd->requests;
my %events;
$events{ body_of($_)->{event} // '?' }++ for @all;
is_deeply([grep { !/^(scan|code\.created|code\.updated|code\.deleted)$/ } sort keys %events],
    [], 'no other kind of delivery arrived');
my %seen_id;
for my $req (@all) {
	my $h = $req->{headers};
	my $ev = body_of($req)->{event} // '?';
	is($req->{method}, 'POST', "$ev: POST");
	is($req->{path}, '/events', "$ev: to the endpoint's path");
	is($h->{'content-type'}, 'application/json', "$ev: application/json");
	ok(qregg_ok($req, $wd->{secret}), "$ev: X-Qregg-Signature verifies");
	like($h->{'webhook-id'} // '', $ID, "$ev: webhook-id");
	ok(($h->{'webhook-timestamp'} // '') =~ /^\d+$/ &&
	    abs($h->{'webhook-timestamp'} - time) <= 60, "$ev: webhook-timestamp now");
	ok(std_ok($req, $wd->{secret}), "$ev: webhook-signature verifies");
	ok(!std_ok({ %$req, body => $req->{body} . ' ' }, $wd->{secret}),
	    "$ev: and would not for another body");
	unlike($req->{body}, qr/\Q$XFF\E/, "$ev: the X-Forwarded-For address is absent");
	unlike($req->{body}, qr/(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d.])/,
	    "$ev: no IPv4 address in the body");
	$seen_id{ $h->{'webhook-id'} // '' }++;
}
my @api_log = @{ call(GET => "/api/v1/webhooks/$wd->{id}/deliveries", token => $tok_d)
    ->{json}{data} // [] };
is_deeply([sort map { $_->{deliveryId} } @api_log], [sort keys %seen_id],
    'the log API lists exactly the deliveries that arrived (by webhook-id)');
is(scalar(grep { $_->{status} eq 'delivered' && ($_->{responseCode} // 0) == 200 }
    @api_log), scalar @api_log, 'each delivered, responseCode 200');
is_deeply([grep { !exists $api_log[0]{$_} } qw(deliveryId event status responseCode
    error attemptedAt)], [], 'log entries: event, status, response code, error, time');
ok(!grep({ !near_now($_->{attemptedAt}) } @api_log), 'attemptedAt RFC 3339, now');
my ($acked) = grep { $_->{event} eq 'code.created' } @api_log;
$r = call(POST => "/api/v1/webhooks/$wd->{id}/deliveries/" . ($acked->{deliveryId} // '-')
    . '/retry', token => $tok_d);
is($r->{status}, 409, 'manual retry of an acknowledged delivery: 409 (never sent again)');

# Scans of a code deleted at once are not lost with it.
SKIP: {
skip 'no scan delivery arrived at all', 2 unless @scan_reqs;
my $gone = code_create($tok_d, 'short-lived');
scan($gone, 'User-Agent' => $UA{iphone});
wait_until(5, sub { mysql_value("SELECT COUNT(*) FROM scans s JOIN codes c ON "
    . "c.id = s.code_id WHERE c.public_id = '$gone->{id}'") });
call(DELETE => "/api/v1/codes/$gone->{id}", token => $tok_d);
ok(wait_until(8, sub { grep { ((body_of($_)->{data}{code} // {})->{id} // '') eq
    $gone->{id} } by_event($rd, 'code.deleted') }), 'short-lived: code.deleted delivered');
my $gone_scanned = sub { scalar(grep { ($_->{code}{id} // '') eq $gone->{id} }
    map { @{ body_of($_)->{data}{scans} // [] } } by_event($rd, 'scan')) };
wait_until(8, $gone_scanned);
ok($gone_scanned->(),
    'short-lived: its scan (made before the DELETE) was delivered too');
}

# ---- 3. retries ----------------------------------------------------------------------

my (undef, $tok_r) = new_account('enterprise');
my $rr = receiver(behaviour => '500');
my $wr = wh($tok_r, "$rr->{url}/r", 'code.created', 'code.updated');
my $rcode = code_create($tok_r, 'retried');
my $d1 = wait_delivery(8, $wr->{id}, sub { $_[0]{attempts} >= 1 }, 'code.created');
is($d1->{status}, 'pending', '500: the delivery stays pending');
is($d1->{attempts}, 1, 'after 1 attempt');
is($d1->{code}, 500, 'last code 500');
my $delay = $d1->{delay} // -1;
ok($delay >= 8 - 1 && $delay <= 12 + 1,
    "first retry 10 s +/-20% later ($delay s)");
# Proves that something does NOT happen, so a bounded wait: a second by
# the sender's clock is a poll cycle or more.
sleep 1;
is(delivery($wr->{id}, $d1->{id})->{attempts}, 1, 'not tried again before it is due');
due_now($d1->{id});
my $d1b = wait_delivery(6, $wr->{id}, sub { $_[0]{id} eq $d1->{id} && $_[0]{attempts} >= 2 });
is($d1b->{status}, 'pending', 'second 500: still pending');
$delay = $d1b->{delay} // -1;
ok($delay >= 24 - 1 && $delay <= 36 + 1, "second retry 30 s +/-20% later ($delay s)");
$rr->set_behaviour('200');
due_now($d1->{id});
my $d1c = wait_delivery(6, $wr->{id}, sub { $_[0]{id} eq $d1->{id} && $_[0]{status} ne 'pending' });
is($d1c->{status}, 'delivered', 'due again, answered 200: delivered');
is($d1c->{attempts}, 3, 'in 3 attempts');
my @tries = by_id($rr, $d1->{id});
is(scalar @tries, 3, 'the receiver saw it 3 times');
is(scalar(grep { $_->{body} eq $tries[0]{body} } @tries), 3, 'the same body each time');
is(scalar(grep { qregg_ok($_, $wr->{secret}) && std_ok($_, $wr->{secret}) } @tries), 3,
    'each signed');
my @log = reverse grep { $_->{deliveryId} eq $d1->{id} }
    @{ call(GET => "/api/v1/webhooks/$wr->{id}/deliveries", token => $tok_r)->{json}{data} // [] };
is_deeply([map { $_->{responseCode} } @log], [500, 500, 200],
    'log API: responseCode 500, 500, then 200');
is_deeply([map { defined $_->{error} ? 'e' : '-' } @log], ['e', 'e', '-'],
    'an error on the failed attempts only');
is_deeply([map { $_->{status} } @log], [qw(failed failed delivered)],
    "each attempt's own status");
is_deeply([map { $_->{event} } @log], [('code.created') x 3], 'event code.created');

# Retry-After, in seconds and as an HTTP date.
$rr->queue('503:120');
call(PATCH => "/api/v1/codes/$rcode->{id}", token => $tok_r, body => { title => 'ra' });
my $d2 = wait_delivery(8, $wr->{id}, sub { $_[0]{attempts} >= 1 }, 'code.updated');
is($d2->{code}, 503, '503 recorded');
$delay = $d2->{delay} // -1;
ok($delay >= 119 && $delay <= 121.5, "Retry-After: 120 honoured ($delay s)");
my @gm = gmtime(time + 200);
my $date = sprintf('%s, %02d %s %d %02d:%02d:%02d GMT',
    (qw(Sun Mon Tue Wed Thu Fri Sat))[$gm[6]], $gm[3],
    (qw(Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec))[$gm[4]], $gm[5] + 1900,
    @gm[2, 1, 0]);
$rr->queue("503:$date");
due_now($d2->{id});
my $d2b = wait_delivery(6, $wr->{id}, sub { $_[0]{id} eq $d2->{id} && $_[0]{attempts} >= 2 });
$delay = $d2b->{delay} // -1;
ok($delay >= 196 && $delay <= 202, "Retry-After as an HTTP date, 200 s on ($delay s)");
due_now($d2->{id});
is(wait_delivery(6, $wr->{id}, sub { $_[0]{id} eq $d2->{id} && $_[0]{status} ne 'pending' })
    ->{status}, 'delivered', 'then delivered');

# A dropped connection.
$rr->queue('drop');
call(PATCH => "/api/v1/codes/$rcode->{id}", token => $tok_r, body => { title => 'drop' });
my $d3 = wait_delivery(8, $wr->{id}, sub { $_[0]{id} ne $d2->{id} && $_[0]{attempts} >= 1 },
    'code.updated');
is($d3->{status}, 'pending', 'connection closed without an answer: pending');
is($d3->{code}, undef, 'no response code');
like($d3->{error} // '', qr/empty reply|closed|connection|recv/i,
    'the error recorded: ' . ($d3->{error} // 'none'));
$delay = $d3->{delay} // -1;
ok($delay >= 7 && $delay <= 13, "retried 10 s +/-20% later ($delay s)");
due_now($d3->{id});
is(wait_delivery(6, $wr->{id}, sub { $_[0]{id} eq $d3->{id} && $_[0]{status} ne 'pending' })
    ->{status}, 'delivered', 'then delivered');

# 410 Gone disables the endpoint; manual retry; re-enabling resumes.
$rr->queue('410');
call(PATCH => "/api/v1/codes/$rcode->{id}", token => $tok_r, body => { title => 'gone' });
my $d4 = wait_delivery(8, $wr->{id}, sub { $_[0]{attempts} >= 1 && $_[0]{id} ne $d2->{id}
    && $_[0]{id} ne $d3->{id} }, 'code.updated');
is($d4->{code}, 410, '410 recorded');
is($d4->{status}, 'failed', 'that delivery failed for good');
my $wg = call(GET => "/api/v1/webhooks/$wr->{id}", token => $tok_r)->{json}{data} // {};
is($wg->{active}, $F, 'the endpoint is disabled');
like($wg->{disabledReason} // '', qr/410/, "disabledReason: " . ($wg->{disabledReason} // 'null'));
my $n_before = $rr->requests;
call(PATCH => "/api/v1/codes/$rcode->{id}", token => $tok_r, body => { title => 'while-off' });
$r = call(POST => "/api/v1/webhooks/$wr->{id}/deliveries/$d4->{id}/retry", token => $tok_r);
is($r->{status}, 200, 'manual retry: 200');
like($r->{json}{message} // '', qr/active again/, 'which says it waits for the endpoint');
my $d4b = delivery($wr->{id}, $d4->{id});
is($d4b->{status}, 'pending', 'the delivery is pending again');
ok(defined $d4b->{due_in} && $d4b->{due_in} <= 1, "and due now ($d4b->{due_in} s)");
$r = call(POST => "/api/v1/webhooks/$wr->{id}/deliveries/NoSuchDelivery12/retry",
    token => $tok_r);
is($r->{status}, 404, 'manual retry of an unknown delivery: 404');
# Proves that something does NOT happen, so a bounded wait: the pending
# delivery is due now, and 3.5 s is more than three of the sender's polls.
sleep 3.5;
is(scalar($rr->requests), $n_before, 'nothing is sent to a disabled endpoint');
$r = call(PATCH => "/api/v1/webhooks/$wr->{id}", token => $tok_r, body => { active => $T });
is($r->{json}{data}{active}, $T, 're-enabled');
is($r->{json}{data}{disabledReason}, undef, 'disabledReason cleared');
ok(wait_until(10, sub { grep { (body_of($_)->{data}{code}{title} // '') eq 'while-off' }
    $rr->requests }), 'the change made while it was off arrives');
my @rreqs = $rr->requests;
my @after = map { body_of($_)->{data}{code}{title} // '?' } @rreqs[$n_before .. $#rreqs];
is_deeply(\@after, ['gone', 'while-off'], 'after the retried one, in order');
is(delivery($wr->{id}, $d4->{id})->{status}, 'delivered', 'the retried delivery delivered');

# ---- 4. SSRF at send time -----------------------------------------------------------

my (undef, $tok_x) = new_account('enterprise');
my $rx = receiver(behaviour => '200');
my $wx = wh($tok_x, "$rx->{url}/x", 'code.created');
db_do("UPDATE webhooks SET url = 'http://10.1.2.3:9/' WHERE public_id = '$wx->{id}'");
code_create($tok_x, 'ssrf');
my $d5 = wait_delivery(8, $wx->{id}, sub { $_[0]{attempts} >= 1 });
is($d5->{status}, 'pending', 'a forbidden address at send time: pending');
is($d5->{code}, undef, 'no response code');
like($d5->{error} // '', qr/10\.1\.2\.3/, 'the error names the address: ' . ($d5->{error} // ''));
$delay = $d5->{delay} // -1;
ok($delay >= 7 && $delay <= 13, "retried on the schedule ($delay s)");
my ($xl) = @{ call(GET => "/api/v1/webhooks/$wx->{id}/deliveries", token => $tok_x)
    ->{json}{data} // [] };
like($xl->{error} // '', qr/10\.1\.2\.3/, 'the log API shows that error');
is(scalar($rx->requests), 0, 'nothing was sent anywhere');
db_do("UPDATE webhooks SET url = '$rx->{url}/x' WHERE public_id = '$wx->{id}'");
# A pass works from the endpoints as they were when it began: let the one
# under way end before the delivery becomes due.  A bounded wait, as a
# pass leaves nothing to wait on (it is at most one poll, POLL_MS, long).
sleep 2;
due_now($d5->{id});
is(wait_delivery(6, $wx->{id}, sub { $_[0]{status} ne 'pending' })->{status}, 'delivered',
    'with an allowed url again: delivered');

# ---- from here on, our own sender ---------------------------------------------------------

my $waited = time;
ok(wait_until(70, sub { own_sender() }), sprintf("our sender has the lock (waited %.1f s)",
    time - $waited)) or diag(slurp("$SB->{dir}/sender.log") // '');

# ---- 5. a slow receiver, and the endpoints beside it ---------------------------------------

my (undef, $tok_s) = new_account('enterprise');
my (undef, $tok_s2) = new_account('enterprise');
my $rs = receiver(behaviour => '200', queue => ['slow:9']);
my $rs2 = receiver(behaviour => '200');
my $ws = wh($tok_s, "$rs->{url}/s", 'code.created');
my $ws2 = wh($tok_s2, "$rs2->{url}/s2", 'code.created');
code_create($tok_s, 'slow');
ok(wait_until(8, sub { scalar $rs->requests }), 'the slow receiver got the delivery');
my $t_other = time;
code_create($tok_s2, 'beside');
$r = call(PATCH => "/api/v1/webhooks/$ws->{id}", token => $tok_s, body => { rotateSecret => $T });
my $rotated = $r->{json}{data}{secret} // '';
my $d6 = wait_delivery($TIMEOUT_MS / 1000 + 6, $ws->{id}, sub { $_[0]{attempts} >= 1 });
my $t_recorded = time;
is($d6->{status}, 'pending', 'past the timeout: pending');
is($d6->{code}, undef, 'no response code');
like($d6->{error} // '', qr/timed? ?out/i, 'a timeout recorded: ' . ($d6->{error} // ''));
$delay = $d6->{delay} // -1;
ok($delay >= 7 && $delay <= 13, "retried 10 s +/-20% later ($delay s)");
wait_until(10, sub { scalar $rs2->requests });
my ($beside) = $rs2->requests;
ok($beside && $beside->{t} - $t_other <= 5,
    sprintf("another account's delivery is not held up by the slow one (it arrived "
    . "%.1f s after its event; the slow call was given up %.1f s after that event)",
    $beside ? $beside->{t} - $t_other : -1, $t_recorded - $t_other));
due_now($d6->{id});
is(wait_delivery(8, $ws->{id}, sub { $_[0]{status} ne 'pending' })->{status}, 'delivered',
    'due again, answered at once: delivered');
my ($again) = (by_id($rs, $d6->{id}))[-1];
ok($again && std_ok($again, $rotated) && ($again->{headers}{'x-qregg-signature-new'}
    // '') eq 'sha256=' . hmac_sha256_hex($again->{body}, $rotated),
    'signed with the secret rotated while the slow call was in flight');
is(mysql_value("SELECT secret FROM webhooks WHERE public_id = '$ws->{id}'"), $rotated,
    'the stored secret is the rotated one');

# ---- 6. a sender killed mid-run ------------------------------------------------------------

my (undef, $tok_k) = new_account('enterprise');
my $rk = receiver(behaviour => '200', queue => ['slow:5']);
my $wk = wh($tok_k, "$rk->{url}/k", 'code.created');
code_create($tok_k, 'killed');
ok(wait_until(8, sub { scalar $rk->requests }), 'a delivery in flight');
my $victim = own_sender();
ok($victim, "our qre-webhooks (" . ($victim // 'none') . ") is sending it");
my $t_kill = time;
kill 'KILL', $victim if $victim;
# The killed run recorded nothing; the next one (our loop starts it at
# once) sends the delivery again and records that attempt only.
my ($d7) = deliveries($wk->{id});
$d7 //= {};
ok(wait_until(10, sub { (delivery($wk->{id}, $d7->{id} // '-')->{status} // '') eq 'delivered' }),
    'the next run delivers it');
my @att = db_rows("SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01', a.attempted_at) / 1e6, "
    . "a.response_code, a.duration_ms FROM delivery_attempts a JOIN deliveries d ON "
    . "d.id = a.delivery_id WHERE d.public_id = '" . ($d7->{id} // '-') . "'");
is(scalar @att, 1, 'one attempt recorded: none for the call cut short');
ok(@att && $att[0][0] >= $t_kill - 0.05 && ($att[0][1] // 0) == 200,
    'that attempt is the next run\'s, answered 200');
my @k = $rk->requests;
is(scalar @k, 2, 'sent twice: the cut call, then the next run');
ok(@k == 2 && $k[1]{t} >= $t_kill, 'the second after the kill');
is($k[1] && $k[1]{headers}{'webhook-id'}, $k[0]{headers}{'webhook-id'},
    'under the same webhook-id');
is($k[1] && $k[1]{body}, $k[0]{body}, 'with the same body');

# ---- 7. the lock -----------------------------------------------------------------------------

ok(wait_until(5, sub { lock_holder() }), 'a sender holds the lock again');
my ($rc, $out, $secs) = run_sender('-1', '-c', $SB->{conf});
is($rc, 0, 'a second qre-webhooks while another holds the lock: exit 0');
like($out, qr/another qre-webhooks holds the lock/, 'it says so');
ok($secs < 3, sprintf('and exits at once (%.2f s)', $secs));

# The lock is the holder's connection's: when that connection is lost,
# the holder must not go on sending without it.
SKIP: {
	my $holder = own_sender();
	skip "no sender holds the lock now", 2 unless $holder;
	my $conn = mysql_value("SELECT IS_USED_LOCK('qre_webhooks')");
	ok($conn, "our sender holds the lock (connection " . ($conn // '?') . ')');
	db_do("KILL CONNECTION $conn") if $conn;
	# The holder polls again, on a new connection, and takes the lock
	# again there.  Bounded: a holder that went on without the lock never
	# takes it, and then the second sender below gets it and the test fails.
	wait_until(5, sub { my $c = mysql_value("SELECT IS_USED_LOCK('qre_webhooks')");
	    defined $c && $c ne ($conn // '') });
	($rc, $out, $secs) = run_sender('-1', '-c', $SB->{conf});
	like($out, qr/another qre-webhooks holds the lock/,
	    'after the holder lost its connection, a second sender still cannot run beside it')
	    or diag("the holder (pid $holder) is " . (kill(0, $holder) ? 'still running' : 'gone')
	    . '; the second run said: ' . ($out || '(nothing)'));
}
wait_until(5, sub { lock_holder() });

# ---- 8. nothing twice once it was acknowledged ------------------------------------------------

# Two more poll cycles (and more); meanwhile an idle sender should sleep
# between its passes (POLL_MS), not spin.
my $idle = lock_holder();
my $cpu = sub {
	my @f = split ' ', ((slurp("/proc/$idle/stat") // '') =~ /\)\s+(.*)$/s)[0] // '';
	return ($f[11] // 0) + ($f[12] // 0);	# utime + stime, in ticks
};
my $c0 = $idle ? $cpu->() : 0;
sleep 3;	# the window the CPU time is measured over, not a wait for state
my $ticks = $idle ? $cpu->() - $c0 : -1;
my $hz = POSIX::sysconf(POSIX::_SC_CLK_TCK()) || 100;
ok($idle && $ticks >= 0 && $ticks / $hz < 0.3,
    sprintf('an idle qre-webhooks waits between passes (%.2f s of CPU in 3 s)',
    $ticks / $hz));
my %dup;
for my $rcv ($rd, $rr, $rx, $rs, $rs2, $rk) {
	for my $req ($rcv->requests) {
		my $id = $req->{headers}{'webhook-id'} // next;
		my ($at) = db_rows("SELECT TIMESTAMPDIFF(MICROSECOND, '1970-01-01', delivered_at) / 1e6 FROM deliveries "
		    . "WHERE public_id = '$id' AND status = 'delivered'");
		$dup{$id}++ if $at && defined $at->[0] && $req->{t} > $at->[0] + 0.05;
	}
}
is_deeply(\%dup, {}, 'no webhook-id arrived again after it was acknowledged');
my %once;
$once{ $_->{headers}{'webhook-id'} // '' }++ for $rd->requests, $rs2->requests;
is_deeply([grep { $once{$_} != 1 } sort keys %once], [],
    'receivers that always answered 200 got each webhook-id exactly once');
is(mysql_value("SELECT COUNT(*) FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
    . "WHERE w.public_id IN ('$wd->{id}', '$wr->{id}', '$wx->{id}', '$ws->{id}', "
    . "'$ws2->{id}', '$wk->{id}') AND d.status = 'pending'"), 0,
    'no delivery of this test is left pending');

diag(sprintf('%.1f s in all', time - $T0));
done_testing();
