# Webhook sending, hardened (issue 10, item 7), against the stack's own
# sender loop and t/lib/Receiver.pm receivers:
#
#   1. An IPv6-literal URL ([::1], allowlisted by the stack's
#      webhook_allow_cidrs = 127.0.0.0/8, ::1/128) is accepted and
#      delivered; IPv6 literals in refused ranges, and malformed ones, are
#      still refused.
#   2. SSRF refusals never say what a name resolves to (no DNS oracle);
#      for an address the user typed they name its kind.  The operator's
#      log keeps the detail.
#   3. Failed calls are recorded with stable texts ("certificate not
#      trusted", "TLS handshake failed", "connection refused", "timed out
#      after N ms"), never curl's or OpenSSL's own words and versions.
#   4. During a secret rotation a receiver still holding the old secret
#      and checking only X-Qregg-Signature (the contract's verify) accepts,
#      and so does one holding the new secret (webhook-signature, or
#      X-Qregg-Signature-New); after the overlap only the new one signs.
#   5. Payload timestamps (the envelope's and each scan's) are RFC 3339
#      UTC with milliseconds; webhook-timestamp stays whole seconds.
#
# Each section has an account of its own, so no endpoint sees another's
# events; everything made is deleted at the end.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Digest::SHA qw(hmac_sha256_hex hmac_sha256_base64);
use MIME::Base64 qw(decode_base64);
use HTTP::Tiny;
use IO::Socket::IP;
use JSON::PP ();
use Time::HiRes qw(sleep time);
use Time::Local qw(timegm);
use Qre;
use Receiver;

my $T = JSON::PP::true;
my $MAIN = $$;
my $MS = qr/^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{3})Z$/;
my (@RECEIVERS, @CREATED);

$SIG{INT} = $SIG{TERM} = sub { exit 1 };	# so that END runs
END {
	if ($$ == $MAIN) {
		my $st = $?;
		$_->stop for @RECEIVERS;
		api(DELETE => "/api/v1/webhooks/$_->[1]", token => $_->[0])
		    for @CREATED;
		$? = $st;
	}
}

# ---- helpers -------------------------------------------------------------

# Qre::api, tried again for a while when the stack answers 502/503/504 or
# not at all (other test runs may restart qre-fcgi under it).
sub call {
	my @a = @_;
	my $end = time + 15;
	while (1) {
		my $r = api(@a);
		return $r unless $r->{status} =~ /^(?:502|503|504|599)$/ && time < $end;
		sleep 0.5;
	}
}

# Poll COND every 0.25 s for up to TIMEOUT seconds.
sub poll {
	my ($timeout, $cond) = @_;
	my $end = time + $timeout;
	while (time < $end) {
		my $v = $cond->();
		return $v if $v;
		sleep 0.25;
	}
	return undef;
}

sub receiver {
	my $r = Receiver::start(@_);
	push @RECEIVERS, $r;
	return $r;
}

sub wh_create {
	my ($tok, $url, @events) = @_;
	my $r = call(POST => '/api/v1/webhooks', token => $tok,
	    body => { url => $url, events => \@events });
	push @CREATED, [$tok, $r->{json}{data}{id}]
	    if ($r->{status} // 0) == 201 && $r->{json}{data}{id};
	return $r;
}

sub wh {
	my $r = wh_create(@_);
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

sub body_of { Receiver::decoded($_[0]) // {} }

sub by_event {
	my ($rcv, $event) = @_;
	return grep { (body_of($_)->{event} // '') eq $event } $rcv->requests;
}

# The delivery log's entry for delivery DID once it has an error.
sub attempt_error {
	my ($tok, $wid, $did, $timeout) = @_;
	my $a = poll($timeout // 20, sub {
		my $r = call(GET => "/api/v1/webhooks/$wid/deliveries", token => $tok);
		my ($e) = grep { ($_->{deliveryId} // '') eq $did &&
		    defined $_->{error} } @{ $r->{json}{data} // [] };
		return $e;
	});
	return $a // {};
}

# A test ping of WID: its delivery id.
sub ping {
	my ($tok, $wid) = @_;
	my $r = call(POST => "/api/v1/webhooks/$wid/test", token => $tok);
	is($r->{status}, 202, 'test ping: 202, queued') or diag($r->{content});
	return $r->{json}{data}{deliveryId} // '-';
}

# The epoch (with a fraction) of an RFC 3339 time with milliseconds.
sub epoch_ms {
	my ($s) = @_;
	return undef unless defined $s && $s =~ $MS;
	return timegm($6, $5, $4, $3, $2 - 1, $1) + $7 / 1000;
}

# Standard Webhooks: "v1,<base64 HMAC-SHA256 of id.timestamp.body>" keyed
# with the base64-decoded part of the secret after "whsec_".
sub std_sig {
	my ($secret, $id, $ts, $body) = @_;
	(my $k = $secret) =~ s/^whsec_//;
	my $b = hmac_sha256_base64("$id.$ts.$body", decode_base64($k));
	$b .= '=' while length($b) % 4;
	return "v1,$b";
}

sub qregg_sig { 'sha256=' . hmac_sha256_hex($_[1], $_[0]) }

# The contract's verify(): X-Qregg-Signature equals the HMAC of the body
# under the one secret the receiver holds.
sub contract_verify {
	my ($req, $secret) = @_;
	return ($req->{headers}{'x-qregg-signature'} // '') eq
	    qregg_sig($secret, $req->{body});
}

# Standard Webhooks' verify(): one of the space-separated entries.
sub standard_verify {
	my ($req, $secret) = @_;
	my $h = $req->{headers};
	return 0 unless defined $h->{'webhook-id'} && defined $h->{'webhook-timestamp'};
	my $want = std_sig($secret, $h->{'webhook-id'}, $h->{'webhook-timestamp'},
	    $req->{body});
	return scalar grep { $_ eq $want } split ' ', $h->{'webhook-signature'} // '';
}

# The examples' verify(): webhook-signature, and X-Qregg-Signature or
# X-Qregg-Signature-New.
sub examples_verify {
	my ($req, $secret) = @_;
	my $want = qregg_sig($secret, $req->{body});
	return standard_verify($req, $secret) && grep { ($req->{headers}{$_} // '')
	    eq $want } qw(x-qregg-signature x-qregg-signature-new);
}

sub free_port {
	my $s = IO::Socket::IP->new(LocalHost => '127.0.0.1', LocalPort => 0,
	    Proto => 'tcp', Listen => 1) or die "listen: $@";
	my $port = $s->sockport;
	close $s;
	return $port;
}

# No wording of curl's or OpenSSL's own, no version numbers.
sub stable_text {
	my ($e) = @_;
	return defined $e && $e !~ /openssl|ssl routines|curl|error:[0-9a-f]{8}|
	    \d+\.\d+\.\d+|errno|\(\d+\)/xi;
}

# ---- 1. IPv6 literals ------------------------------------------------------

subtest 'an IPv6-literal URL is accepted and delivered; refused ranges stay refused' => sub {
	my (undef, $tok) = new_account('enterprise');
	my $r6 = receiver(host => '::1', behaviour => '200');
	like($r6->{url}, qr{^http://\[::1\]:\d+$}, "a receiver on $r6->{url}");
	my $c = wh_create($tok, "$r6->{url}/hook6", 'code.created');
	is($c->{status}, 201, '[::1] (allowlisted as ::1/128): 201')
	    or diag($c->{content});
	my $w = $c->{json}{data} // {};
	my $code = code_create($tok, 'six');
	my $got = poll(20, sub { (by_event($r6, 'code.created'))[0] });
	ok($got, 'the code.created delivery reached the receiver on [::1]');
	is(body_of($got)->{data}{code}{id}, $code->{id}, '... about that code');
	ok($got && standard_verify($got, $w->{secret} // ''), '... signed');
	is($got && $got->{path}, '/hook6', '... at its path');
	my $d = poll(10, sub {
		my $l = call(GET => "/api/v1/webhooks/$w->{id}/deliveries",
		    token => $tok)->{json}{data} // [];
		return (grep { ($_->{status} // '') eq 'delivered' } @$l)[0];
	});
	ok($d, 'the delivery log says delivered');
	is($d && $d->{error}, undef, '... with no error');

	for my $bad (['http://[::2]:9/', 'in ::/96, beside the allowed ::1'],
	    ['http://[::]:9/', 'unspecified'],
	    ['https://[fd00::1]/hook', 'unique local'],
	    ['http://[fe80::1]/', 'link-local'],
	    ['http://[ff02::1]/', 'multicast'],
	    ['http://[::ffff:10.0.0.1]/', 'IPv4-mapped private'],
	    ['http://[64:ff9b::a00:1]/', 'NAT64 of a private address'],
	    ['http://[2001:db8::1]/', 'documentation'],
	    ['http://[fe80::1%25lo]:9/', 'a zone id'],
	    ['http://[::1/', 'an unclosed ['],
	    ['http://[example.com]/', 'not an address in brackets'],
	    ['http://[::1]x:9/', 'junk after ]']) {
		my ($url, $what) = @$bad;
		my $r = wh_create($tok, $url, 'scan');
		is($r->{status}, 422, "$what ($url): 422");
		like($r->{json}{error}{message} // '', qr/^url/, "$what: "
		    . ($r->{json}{error}{message} // ''));
	}
};

# ---- 2. SSRF refusals: no DNS oracle ----------------------------------------

subtest 'SSRF refusals do not say what a name resolves to' => sub {
	my (undef, $tok) = new_account('enterprise');
	# Numbers that the resolver, not inet_pton, reads as 10.1.2.3: names
	# to the check, so they must be answered as names are.
	for my $url ('http://167838211:9/', 'http://0x0a010203/', 'http://10.1.515/') {
		my $r = wh_create($tok, $url, 'scan');
		is($r->{status}, 422, "$url: 422");
		my $m = $r->{json}{error}{message} // '';
		unlike($m, qr/10\.1\.2\.3/, "$url: the address it resolves to is not named: $m");
		like($m, qr/^url: the host name .*(not allowed|may not reach)/,
		    "$url: the name is refused as a name");
	}
	my $log = env('QRE_VAR') . '/log/qre-fcgi.log';
	like(slurp($log) // '', qr/167838211.*10\.1\.2\.3/,
	    "the operator's log keeps the detail");

	# A literal the user typed: its kind may be named.
	for my $lit (['http://10.1.2.3/', qr/10\.1\.2\.3 is a private address/],
	    ['http://169.254.169.254/', qr/link-local/],
	    ['http://100.64.0.1/', qr/shared/],
	    ['http://[fd12::1]/', qr/fd12::1 is a private address/],
	    ['http://224.0.0.1/', qr/multicast/]) {
		my ($url, $want) = @$lit;
		my $r = wh_create($tok, $url, 'scan');
		is($r->{status}, 422, "$url: 422");
		like($r->{json}{error}{message} // '', $want,
		    "$url: " . ($r->{json}{error}{message} // ''));
	}

	# At send time the same: the delivery log holds no resolved address.
	my $rx = receiver(behaviour => '200');
	my $w = wh($tok, "$rx->{url}/x", 'code.created');
	mysql_value("UPDATE webhooks SET url = 'http://167838211:9/' WHERE "
	    . "public_id = '$w->{id}'");
	code_create($tok, 'oracle');
	my $e = poll(20, sub {
		my $l = call(GET => "/api/v1/webhooks/$w->{id}/deliveries",
		    token => $tok)->{json}{data} // [];
		return (grep { defined $_->{error} } @$l)[0];
	}) // {};
	like($e->{error} // '', qr/^url: the host name/,
	    'refused at send time: ' . ($e->{error} // 'no error'));
	unlike($e->{error} // '', qr/10\.1\.2\.3/, '... without the address');
	is(scalar($rx->requests), 0, 'nothing was sent');
};

# ---- 3. stable error texts --------------------------------------------------

subtest 'failed calls are recorded with stable, version-free texts' => sub {
	my (undef, $tok) = new_account('enterprise');
	my ($https_port) = env('QRE_BASE_URL') =~ m{:(\d+)$};
	my ($http_port) = env('QRE_HTTP_URL') =~ m{:(\d+)$};
	my $slow = receiver(behaviour => 'slow:12');
	my $closed = free_port();
	for my $case (
	    # The stack's nginx: a self-signed certificate.
	    ["https://127.0.0.1:$https_port/hook", qr/^certificate not trusted/,
		'a self-signed certificate'],
	    # Plain HTTP where TLS is spoken.
	    ["https://127.0.0.1:$http_port/hook", qr/^TLS handshake failed$/,
		'TLS to a plain HTTP port'],
	    ["http://127.0.0.1:$closed/hook", qr/^connection refused$/,
		'a closed port'],
	    ["$slow->{url}/slow", qr/^timed out after \d+ ms$/,
		'a receiver slower than the timeout']) {
		my ($url, $want, $what) = @$case;
		my $w = wh($tok, $url, 'code.deleted');
		my $did = ping($tok, $w->{id});
		my $a = attempt_error($tok, $w->{id}, $did);
		like($a->{error} // '', $want, "$what: " . ($a->{error} // 'none'));
		ok(stable_text($a->{error}), "$what: no library wording or version");
		is($a->{responseCode}, undef, "$what: no response code");
		api(DELETE => "/api/v1/webhooks/$w->{id}", token => $tok);
	}
};

# ---- 4. secret rotation -------------------------------------------------------

subtest 'during a rotation both the old and the new secret verify' => sub {
	my (undef, $tok) = new_account('enterprise');
	my $r = receiver(behaviour => '200');
	my $w = wh($tok, "$r->{url}/rot", 'code.created');
	my $old = $w->{secret} // '';
	my $p = call(PATCH => "/api/v1/webhooks/$w->{id}", token => $tok,
	    body => { rotateSecret => $T });
	my $new = $p->{json}{data}{secret} // '';
	like($new, qr/^whsec_/, 'rotated');
	isnt($new, $old, '... to a new secret');
	code_create($tok, 'rotation');
	my $got = poll(20, sub { (by_event($r, 'code.created'))[0] })
	    // { headers => {}, body => '' };
	ok(contract_verify($got, $old),
	    "a receiver holding the old secret and checking X-Qregg-Signature accepts");
	ok(standard_verify($got, $old), '... and so does one checking webhook-signature');
	ok(standard_verify($got, $new), 'a receiver holding the new secret accepts (webhook-signature)');
	ok(examples_verify($got, $new), '... and as the examples verify (X-Qregg-Signature-New)');
	ok(examples_verify($got, $old), '... the examples with the old secret too');
	is($got->{headers}{'x-qregg-signature-new'}, qregg_sig($new, $got->{body}),
	    'X-Qregg-Signature-New: the new secret');
	is(scalar(split ' ', $got->{headers}{'webhook-signature'} // ''), 2,
	    'webhook-signature: two entries');

	# The overlap ends: the new secret alone signs, in X-Qregg-Signature.
	mysql_value("UPDATE webhooks SET previous_secret_until = UTC_TIMESTAMP(3) "
	    . "- INTERVAL 1 SECOND WHERE public_id = '$w->{id}'");
	my $n = scalar $r->requests;
	call(POST => "/api/v1/webhooks/$w->{id}/test", token => $tok);
	my $after = poll(20, sub { ($r->requests)[$n] }) // { headers => {}, body => '' };
	ok(contract_verify($after, $new), 'after the overlap: X-Qregg-Signature is the new secret');
	ok(!standard_verify($after, $old), '... the old secret no longer verifies');
	ok(!exists $after->{headers}{'x-qregg-signature-new'}, '... and no X-Qregg-Signature-New');
	is(scalar(split ' ', $after->{headers}{'webhook-signature'} // ''), 1,
	    '... one webhook-signature entry');
};

# ---- 5. timestamps with milliseconds --------------------------------------------

subtest 'payload timestamps carry milliseconds; webhook-timestamp is seconds' => sub {
	my ($email, $tok) = new_account('enterprise');
	my $r = receiver(behaviour => '200');
	my $w = wh($tok, "$r->{url}/ts", 'code.created', 'scan');
	my $code = code_create($tok, 'stamps');
	my $created = poll(20, sub { (by_event($r, 'code.created'))[0] })
	    // { headers => {}, body => '' };
	my $b = body_of($created);
	like($b->{timestamp} // '', $MS, 'code.created: envelope timestamp with ms: '
	    . ($b->{timestamp} // 'none'));
	my $ev_ms = mysql_value("SELECT DATE_FORMAT(e.created_at, '%Y-%m-%dT%H:%i:%s.%f') "
	    . "FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.email = "
	    . "'$email' AND e.type = 'code.created'") // '';
	is($b->{timestamp}, substr($ev_ms, 0, 23) . 'Z', "... the event's own time");
	like($created->{headers}{'webhook-timestamp'} // '', qr/^\d{10}$/,
	    'webhook-timestamp: whole seconds');
	ok(abs(($created->{headers}{'webhook-timestamp'} // 0) - time) < 60, '... now');

	my $http = HTTP::Tiny->new(timeout => 15, max_redirect => 0);
	is($http->get(env('QRE_HTTP_URL') . "/$code->{shortCode}",
	    { headers => { 'User-Agent' => 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 '
	    . 'like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 '
	    . 'Mobile/15E148 Safari/604.1' } })->{status}, 302, 'a scan');
	my $sc = poll(30, sub { (by_event($r, 'scan'))[0] }) // { body => '' };
	my $sb = body_of($sc);
	my $item = ($sb->{data}{scans} // [])->[0] // {};
	like($sb->{timestamp} // '', $MS, 'scan: envelope timestamp with ms: '
	    . ($sb->{timestamp} // 'none'));
	ok(abs((epoch_ms($sb->{timestamp}) // 0) - time) < 60, '... now');
	like($item->{scan}{timestamp} // '', $MS, "the scan's timestamp with ms: "
	    . ($item->{scan}{timestamp} // 'none'));
	my $db = mysql_value("SELECT DATE_FORMAT(s.scanned_at, '%Y-%m-%dT%H:%i:%s.%f') "
	    . "FROM scans s JOIN codes c ON c.id = s.code_id WHERE c.public_id = "
	    . "'$code->{id}'") // '';
	is($item->{scan}{timestamp}, substr($db, 0, 23) . 'Z', '... the time it was stored with');

	# A deleted code's scans wait in the outbox in the same shape.
	my $c2 = code_create($tok, 'deleted');
	my $cid = mysql_value("SELECT id FROM codes WHERE public_id = '$c2->{id}'");
	mysql_value("INSERT INTO scans (code_id, scanned_at, country, device, os, browser, "
	    . "referrer, is_bot, visitor_hash) VALUES ($cid, '2024-05-06 07:08:09.012', "
	    . "'DE', 'mobile', 'iOS', 'Safari', NULL, 0, UNHEX(MD5('x')))");
	is(call(DELETE => "/api/v1/codes/$c2->{id}", token => $tok)->{status}, 200,
	    'the code deleted at once');
	my $ts = mysql_value("SELECT JSON_UNQUOTE(JSON_EXTRACT(e.payload, '\$.items[0].scan.timestamp')) "
	    . "FROM events e JOIN accounts a ON a.id = e.account_id WHERE a.email = "
	    . "'$email' AND e.type = 'scan'");
	is($ts, '2024-05-06T07:08:09.012Z', "its scan's timestamp in the outbox, with ms");

	# The test ping's envelope too.
	my $n = scalar $r->requests;
	ping($tok, $w->{id});
	my $pg = poll(20, sub { (grep { (body_of($_)->{event} // '') eq 'ping' }
	    $r->requests)[0] }) // { body => '' };
	like(body_of($pg)->{timestamp} // '', $MS, 'ping: envelope timestamp with ms');
};

# ---- 6. a URL full of quotes --------------------------------------------------

subtest 'a test ping to a URL full of quotes is queued and sent, not a 500' => sub {
	my (undef, $tok) = new_account('enterprise');
	my $r = receiver(behaviour => '200');
	my $url = "$r->{url}/" . ('"' x 1500);
	my $w = call(POST => '/api/v1/webhooks', token => $tok,
	    body => { url => $url, events => ['scan'] });
	is($w->{status}, 201, 'an endpoint whose path is 1,500 quotes');
	my $did = ping($tok, $w->{json}{data}{id});
	my $got = poll(20, sub { ($r->requests)[0] }) // { body => '' };
	is(body_of($got)->{data}{webhook}{url}, $url,
	    'the ping arrives, naming the URL with every quote');
	my $st;
	poll(20, sub {
		$st = call(GET => "/api/v1/webhooks/$w->{json}{data}{id}/deliveries/$did",
		    token => $tok)->{json}{data};
		($st->{status} // 'pending') ne 'pending';
	});
	is($st->{status}, 'delivered', '... and is recorded as delivered');
};

done_testing();
