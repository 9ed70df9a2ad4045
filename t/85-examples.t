# The client examples of examples/ run against the live stack, each judged
# by what it did rather than by what it printed alone:
#
#   curl.sh, fetch.mjs, client.py   exit 0; the PNGs they wrote scan (zbarimg)
#                                   to the right text or short URL; the codes
#                                   they made, changed or deleted are so when
#                                   the API is asked; a bad token, bad input
#                                   and TLS without QRE_INSECURE=1 make them
#                                   exit non-zero.  Each runs with a token of
#                                   its own (nginx's per-key burst is 10).
#   webhook-receiver.mjs,           each listens on a free 127.0.0.1 port
#   webhook_receiver.py             (the stack allowlists 127.0.0.0/8) behind
#                                   a webhook of its own; a test ping, a code
#                                   created and changed reach both as verified
#                                   events within 15 s (sent by the stack's
#                                   qre-webhooks loop); requests signed here
#                                   with the secret are accepted once (a
#                                   repeat webhook-id is answered 200 and not
#                                   logged again); a wrong signature, a stale
#                                   or future timestamp, a changed body, a
#                                   missing or wrong X-Qregg-Signature are
#                                   answered 401 and not logged; a manual
#                                   acknowledged delivery is never retried;
#                                   after a secret rotation the old secret
#                                   still verifies.
#
# One fresh enterprise account holds everything; its webhooks are deleted
# at the end and the receivers stopped.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Digest::SHA qw(hmac_sha256_hex hmac_sha256_base64);
use MIME::Base64 qw(decode_base64);
use File::Temp qw(tempdir);
use HTTP::Tiny;
use IO::Socket::INET;
use POSIX qw(_exit WNOHANG);
use Time::HiRes qw(sleep time);
use Qre;

for my $tool (qw(curl node python3 zbarimg)) {
	plan skip_all => "$tool is not installed"
	    unless grep { -x "$_/$tool" } split /:/, $ENV{PATH} // '';
}

my $EX = "$FindBin::Bin/../examples";
my $TMP = tempdir(CLEANUP => 1);
my $MAIN = $$;
my $ID = qr/[0-9A-Za-z]{16}/;
my (@RECEIVERS, @WEBHOOKS);
my (undef, $TOK) = new_account('enterprise');

$SIG{INT} = $SIG{TERM} = sub { exit 1 };	# so that END runs
END {
	if ($$ == $MAIN) {
		my $st = $?;
		for my $r (@RECEIVERS) {
			next unless $r->{pid};
			kill 'TERM', $r->{pid};
			waitpid($r->{pid}, 0);
		}
		api(DELETE => "/api/v1/webhooks/$_", token => $TOK) for @WEBHOOKS;
		$? = $st;
	}
}

# ---- helpers -------------------------------------------------------------

# The environment of an example: ours without QRE_* and TLS overrides,
# plus ENV.
sub child_env {
	my (%env) = @_;
	delete $ENV{$_} for grep { /^QRE_/ || $_ eq 'NODE_TLS_REJECT_UNAUTHORIZED' }
	    keys %ENV;
	$ENV{$_} = $env{$_} for keys %env;
}

# run(env => {...}, argv => [...], timeout => S) -> (exit status, out, err)
my $runs = 0;
sub run {
	my (%o) = @_;
	my ($out, $err) = map { "$TMP/run" . ++$runs . ".$_" } qw(out err);
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		child_env(%{ $o{env} // {} });
		open(STDIN, '<', '/dev/null') or _exit(126);
		open(STDOUT, '>', $out) or _exit(126);
		open(STDERR, '>', $err) or _exit(126);
		{ no warnings 'exec'; exec { $o{argv}[0] } @{ $o{argv} }; }
		_exit(127);
	}
	my $end = time + ($o{timeout} // 30);
	my $done;
	while (!($done = waitpid($pid, WNOHANG)) && time < $end) {
		sleep 0.05;
	}
	unless ($done) {
		kill 'KILL', $pid;
		waitpid($pid, 0);
		return (-1, slurp($out) // '', (slurp($err) // '') . "\n[timed out]");
	}
	return ($? >> 8, slurp($out) // '', slurp($err) // '');
}

# What zbarimg reads in a PNG, undef when nothing.
sub zbar {
	my ($png) = @_;
	return undef unless -s $png;
	my ($st, $out) = run(argv => ['zbarimg', '--nodbus', '-q', '--raw', $png]);
	return undef if $st != 0;
	$out =~ s/\n\z//;
	return $out;
}

sub free_port {
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
	    Proto => 'tcp', Listen => 1) or die "listen: $@";
	my $port = $s->sockport;
	close $s;
	return $port;
}

# The verified events a receiver logged: one JSON object per stdout line.
sub events_of {
	my ($r) = @_;
	return map { decode_json_safe($_) // { unparsed => $_ } }
	    grep { length } split /\n/, slurp($r->{out}) // '';
}

# Start RECEIVER (argv) with SECRET on PORT; wait until it listens.
sub start_receiver {
	my ($name, $argv, $secret, $port) = @_;
	my $r = { name => $name, out => "$TMP/$name.out",
	    err => "$TMP/$name.err", port => $port,
	    url => "http://127.0.0.1:$port/qre-webhooks" };
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		child_env(QRE_WEBHOOK_SECRET => $secret, PORT => $port,
		    HOST => '127.0.0.1');
		open(STDIN, '<', '/dev/null') or _exit(126);
		open(STDOUT, '>', $r->{out}) or _exit(126);
		open(STDERR, '>', $r->{err}) or _exit(126);
		{ no warnings 'exec'; exec { $argv->[0] } @$argv; }
		_exit(127);
	}
	$r->{pid} = $pid;
	push @RECEIVERS, $r;
	$r->{listening} = wait_until(10, sub {
		(slurp($r->{err}) // '') =~ /listening on http:\/\/127\.0\.0\.1:$port\//
	});
	return $r;
}

# The headers qre would send for BODY, signed with SECRET at TS.
sub signed_headers {
	my (%o) = @_;
	my ($secret, $id, $ts, $body) = @o{qw(secret id ts body)};
	(my $key = $secret) =~ s/^whsec_//;
	my $std = hmac_sha256_base64("$id.$ts.$body", decode_base64($key));
	$std .= '=' while length($std) % 4;
	return {
		'Content-Type' => 'application/json',
		'User-Agent' => 'qre-webhooks/1.0',
		'X-Qregg-Signature' => 'sha256=' . hmac_sha256_hex($body, $secret),
		'webhook-id' => $id,
		'webhook-timestamp' => $ts,
		'webhook-signature' => "v1,$std",
	};
}

my $http = HTTP::Tiny->new(timeout => 10, keep_alive => 0);
sub post_to {
	my ($r, $headers, $body) = @_;
	my $res = $http->request(POST => $r->{url},
	    { headers => $headers, content => $body });
	return $res->{status};
}

# A token of its own for each example: nginx's per-key limit (60 a
# minute, bursts of 10) is per token, as it would be per client.
sub token_for {
	my ($name) = @_;
	my $t = api(POST => '/api/tokens', token => $TOK,
	    body => { name => "$name-" . ++$runs });
	die "POST /api/tokens: $t->{status} $t->{content}\n"
	    unless $t->{status} == 201 && $t->{json}{data}{token};
	return $t->{json}{data}{token};
}

my $rand = 0;
sub fresh_id {
	my @c = ('A' .. 'Z', 'a' .. 'z', 0 .. 9);
	return join '', 'T', map { $c[int rand @c] } 1 .. 15;
}

# ---- curl.sh -------------------------------------------------------------

my $BASE = env('QRE_BASE_URL');
my $HTTP = env('QRE_HTTP_URL');

subtest 'curl.sh' => sub {
	my $tok = token_for('curl');
	my $png = "$TMP/curl.png";
	my $text = "curl.sh test $$ " . time;
	my ($st, $out, $err) = run(argv => ["$EX/curl.sh", $png, $text],
	    env => { QRE_BASE_URL => $BASE, QRE_TOKEN => $tok,
	    QRE_INSECURE => 1 });
	is($st, 0, 'exits 0') or diag("stdout:\n$out\nstderr:\n$err");
	is(zbar($png), $text, 'the PNG it wrote scans to the text');
	like($out, qr/^generated a QR code .* and wrote \Q$png\E \(\d+ bytes\)$/m,
	    'says it wrote the PNG');
	my ($id, $short) = $out =~ m{^created dynamic code ($ID): (\S+) -> }m;
	ok($id, 'prints the dynamic code id') or return;
	my $c = api(GET => "/api/codes/$id", token => $TOK);
	is($c->{status}, 200, 'the dynamic code exists');
	is($c->{json}{data}{targetUrl}, 'https://example.com/curl-sh/updated',
	    'with the new destination');
	ok($c->{json}{data}{isDynamic}, 'dynamic');
	is($c->{json}{data}{name}, 'curl.sh example', 'named');
	is($c->{json}{data}{shortUrl}, $short, 'the short URL it printed');
	like($out, qr/^listed codes: \d+ in all, newest first:\n  \Q$id\E /m,
	    'lists the codes, the new one first');
	like($out, qr/^stats of code \Q$id\E: 0 scans, 0 unique visitors$/m,
	    'prints the v1 stats');

	($st, undef, $err) = run(argv => ["$EX/curl.sh", "$TMP/curl-bad.png"],
	    env => { QRE_BASE_URL => $BASE, QRE_TOKEN => 'qre_not_a_token',
	    QRE_INSECURE => 1 });
	isnt($st, 0, 'a bad token: exits non-zero');
	like($err, qr/HTTP 401: unauthorized: /, '... with the API error');
	ok(!-e "$TMP/curl-bad.png", '... and writes no PNG');

	($st) = run(argv => ["$EX/curl.sh", "$TMP/curl-tls.png"],
	    env => { QRE_BASE_URL => $BASE, QRE_TOKEN => $tok });
	isnt($st, 0, 'the self-signed certificate without QRE_INSECURE=1: '
	    . 'exits non-zero');
};

# ---- fetch.mjs -----------------------------------------------------------

subtest 'fetch.mjs' => sub {
	my $tok = token_for('fetch');
	for my $how (['QRE_HTTP_URL', { QRE_HTTP_URL => $HTTP }],
	    ['QRE_BASE_URL and QRE_INSECURE=1',
	    { QRE_BASE_URL => $BASE, QRE_INSECURE => 1 }]) {
		my ($label, $env) = @$how;
		my $png = "$TMP/fetch-" . ++$rand . '.png';
		my ($st, $out, $err) = run(argv => ['node', "$EX/fetch.mjs", $png],
		    env => { %$env, QRE_TOKEN => $tok });
		is($st, 0, "$label: exits 0") or diag("stdout:\n$out\nstderr:\n$err");
		my ($id, $short) = $out =~ m{^created dynamic code ($ID): (\S+) -> }m;
		ok($id, "$label: prints the code id") or next;
		is(zbar($png), $short, "$label: the PNG it saved scans to the short URL");
		my $c = api(GET => "/api/v1/codes/$id", token => $TOK);
		is($c->{status}, 200, "$label: the code exists");
		is($c->{json}{data}{payload}{url},
		    'https://example.com/fetch-mjs/updated',
		    "$label: with the new destination");
		is($c->{json}{data}{title}, 'fetch.mjs example', "$label: titled");
		is($c->{json}{data}{shortUrl}, $short, "$label: the short URL");
		like($out, qr/^listed 1 code\(s\) before finding \Q$id\E /m,
		    "$label: finds it by paging the list");
	}
	my ($st, undef, $err) = run(argv => ['node', "$EX/fetch.mjs",
	    "$TMP/fetch-tls.png"], env => { QRE_BASE_URL => $BASE,
	    QRE_TOKEN => $tok });
	is($st, 1, 'the self-signed certificate without QRE_INSECURE=1: exits 1');
	like($err, qr/SELF_SIGNED|certificate/i, '... saying why');
	($st, undef, $err) = run(argv => ['node', "$EX/fetch.mjs",
	    "$TMP/fetch-bad.png"], env => { QRE_HTTP_URL => $HTTP,
	    QRE_TOKEN => 'qre_not_a_token' });
	is($st, 1, 'a bad token: exits 1');
	like($err, qr/HTTP 401: unauthorized: /, '... with the API error');
};

# ---- client.py -----------------------------------------------------------

subtest 'client.py' => sub {
	my $tok = token_for('client');
	my $png = "$TMP/client.png";
	my ($a, $b) = ("client.py first $$", "client.py second $$");
	my ($st, $out, $err) = run(argv => ['python3', "$EX/client.py", $png,
	    $a, $b], env => { QRE_BASE_URL => $BASE, QRE_TOKEN => $tok,
	    QRE_INSECURE => 1 });
	is($st, 0, 'exits 0') or diag("stdout:\n$out\nstderr:\n$err");
	is(zbar($png), $a, 'the generated PNG scans to the text');
	is(zbar("$TMP/client-updated.png"), $b,
	    'the PNG of the update scans to the new text');
	my ($id) = $out =~ /^generated code ($ID) /m;
	ok($id, 'prints the code id') or return;
	like($out, qr/^got code \Q$id\E: name='client.py example' data='\Q$a\E'/m,
	    'reads it back');
	like($out, qr/^deleted code \Q$id\E: Code deleted$/m, 'deletes it');
	is(api(GET => "/api/codes/$id", token => $TOK)->{status}, 404,
	    'the code is gone');
	like($out, qr/^GET after delete: 404 not_found: No code with id '\Q$id\E'$/m,
	    'prints the error envelope of the 404');

	($st, $out, $err) = run(argv => ['python3', "$EX/client.py",
	    "$TMP/client-bad.png"], env => { QRE_BASE_URL => $HTTP,
	    QRE_TOKEN => 'qre_not_a_token' });
	is($st, 1, 'a bad token: exits 1');
	like($err, qr/^client.py: API error 401: unauthorized: \S/m,
	    '... printing the code and message');
	($st, $out, $err) = run(argv => ['python3', "$EX/client.py",
	    "$TMP/client-big.png", 'x' x 5000], env => { QRE_BASE_URL => $HTTP,
	    QRE_TOKEN => $TOK });
	is($st, 1, 'data too long: exits 1');
	like($err, qr/API error 422: unprocessable: data must be/,
	    '... printing the code and message');
};

# ---- the webhook receivers ---------------------------------------------

my @KINDS = (['node', ['node', "$EX/webhook-receiver.mjs"]],
    ['python', ['python3', "$EX/webhook_receiver.py"]]);
my %R;		# name -> receiver { ..., webhook, secret }

subtest 'receivers start behind their webhooks' => sub {
	for my $k (@KINDS) {
		my ($name, $argv) = @$k;
		my $port = free_port();
		my $w = api(POST => '/api/v1/webhooks', token => $TOK, body => {
		    url => "http://127.0.0.1:$port/qre-webhooks",
		    events => ['code.created', 'code.updated'] });
		is($w->{status}, 201, "$name: webhook created")
		    or diag($w->{content});
		my $d = $w->{json}{data} // {};
		push @WEBHOOKS, $d->{id} if $d->{id};
		like($d->{secret} // '', qr/^whsec_[A-Za-z0-9+\/]{32}$/,
		    "$name: with its secret");
		my $r = start_receiver($name, $argv, $d->{secret} // 'whsec_',
		    $port);
		ok($r->{listening}, "$name: listens on 127.0.0.1:$port")
		    or diag(slurp($r->{err}));
		@$r{qw(webhook secret)} = ($d->{id}, $d->{secret});
		$R{$name} = $r;
	}
};

my ($CODE, $DEST1, $DEST2) = (undef, 'https://example.com/hook/1',
    'https://example.com/hook/2');
subtest 'deliveries from qre reach both, verified' => sub {
	# The pings first, while the sender has nothing else for these
	# endpoints.
	for my $r (map { $R{$_->[0]} } @KINDS) {
		my $t = api(POST => "/api/v1/webhooks/$r->{webhook}/test",
		    token => $TOK);
		# Queued for the sender; its outcome is polled.
		is($t->{status}, 202, "$r->{name}: test ping queued")
		    or diag("$t->{status} " . ($t->{content} // ''));
		next unless $t->{status} == 202;
		my $id = $t->{json}{data}{deliveryId} // '-';
		wait_until(15, sub {
			$t = api(GET => "/api/v1/webhooks/$r->{webhook}/deliveries/$id",
			    token => $TOK);
			($t->{json}{data}{status} // 'pending') ne 'pending';
		});
		ok($t->{json}{data}{delivered}, "$r->{name}: ping delivered");
		is($t->{json}{data}{statusCode}, 200, "$r->{name}: answered 200")
		    or diag(slurp($r->{err}));
		$r->{ping} = $t->{json}{data}{deliveryId};
	}

	my $c = api(POST => '/api/v1/codes', token => $TOK, body => {
	    type => 'url', mode => 'dynamic', title => 'webhook example',
	    payload => { url => $DEST1 } });
	is($c->{status}, 201, 'a code created');
	$CODE = $c->{json}{data}{id} // '';
	my $p = api(PATCH => "/api/v1/codes/$CODE", token => $TOK,
	    body => { destination => $DEST2 });
	is($p->{status}, 200, 'and changed');

	my $all = sub {
		for my $r (values %R) {
			my %e = map { ($_->{event} // '') => 1 } events_of($r);
			return 0 unless $e{'code.created'} && $e{'code.updated'}
			    && $e{ping};
		}
		return 1;
	};
	ok(wait_until(15, $all), 'both logged code.created, code.updated and '
	    . 'ping within 15 s') or diag(map { "$_->{name}:\n"
	    . (slurp($_->{out}) // '') . (slurp($_->{err}) // '') } values %R);

	for my $r (map { $R{$_->[0]} } @KINDS) {
		my $n = $r->{name};
		my @ev = events_of($r);
		my %by = map { ($_->{event} // '') => $_ } @ev;
		is(scalar @ev, 3, "$n: three events, each once");
		my %ids = map { ($_->{webhookId} // '') => 1 } @ev;
		is(scalar keys %ids, scalar @ev, "$n: distinct webhook-ids");
		ok(!grep({ ($_->{webhookId} // '') !~ /^$ID$/ } @ev),
		    "$n: each with its webhook-id");
		is($by{ping}{webhookId}, $r->{ping}, "$n: the ping's id is the "
		    . 'deliveryId the API gave') if $r->{ping};
		is($by{ping}{data}{webhook}{id}, $r->{webhook},
		    "$n: the ping names its webhook");
		is($by{'code.created'}{data}{code}{id}, $CODE,
		    "$n: code.created is about the code");
		is($by{'code.created'}{data}{code}{payload}{url}, $DEST1,
		    "$n: ... as it was created");
		is($by{'code.updated'}{data}{code}{id}, $CODE,
		    "$n: code.updated is about the code");
		is($by{'code.updated'}{data}{code}{payload}{url}, $DEST2,
		    "$n: ... as it was changed");
		like($by{$_}{timestamp} // '', qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
		    "$n: $_ has its timestamp") for qw(code.created ping);

		my $log = api(GET => "/api/v1/webhooks/$r->{webhook}/deliveries",
		    token => $TOK);
		my @att = @{ $log->{json}{data} // [] };
		ok(@att >= 2 && !grep({ ($_->{responseCode} // 0) != 200 } @att),
		    "$n: the delivery log shows every attempt answered 200")
		    or diag($log->{content});
	}
};

subtest 'forged, stale and repeated requests' => sub {
	for my $r (map { $R{$_->[0]} } @KINDS) {
		my $n = $r->{name};
		my $before = () = events_of($r);
		my $now = time;
		my $body = sprintf('{"event":"code.deleted","data":{"code":'
		    . '{"id":"%s"}},"timestamp":"2026-11-21T10:00:00Z"}', $CODE);
		my $id = fresh_id();
		my %sig = (secret => $r->{secret}, id => $id, ts => int $now,
		    body => $body);

		# A control: signed here as qre signs, it is accepted once.
		is(post_to($r, signed_headers(%sig), $body), 200,
		    "$n: a request signed with the secret: 200");
		ok(wait_until(5, sub { grep { ($_->{webhookId} // '') eq $id }
		    events_of($r) }), "$n: ... and logged");
		is(post_to($r, signed_headers(%sig, ts => int time), $body), 200,
		    "$n: the same webhook-id again: 200");

		my @bad;
		my $forge = sub {
			my ($what, $h, $b) = @_;
			push @bad, $h->{'webhook-id'} if $h->{'webhook-id'};
			is(post_to($r, $h, $b // $body), 401, "$n: $what: 401");
		};
		my $other = 'whsec_' . substr(MIME::Base64::encode_base64(
		    join('', map { chr rand 256 } 1 .. 24), ''), 0, 32);
		$forge->('signed with another secret', signed_headers(%sig,
		    id => fresh_id(), secret => $other));
		$forge->('a timestamp 6 minutes old', signed_headers(%sig,
		    id => fresh_id(), ts => int($now) - 360));
		$forge->('a timestamp 6 minutes ahead', signed_headers(%sig,
		    id => fresh_id(), ts => int($now) + 360));
		my %h = %{ signed_headers(%sig, id => fresh_id()) };
		$forge->('a changed body', \%h, $body =~ s/code\.deleted/code.created/r);
		%h = %{ signed_headers(%sig, id => fresh_id()) };
		$h{'X-Qregg-Signature'} = 'sha256=' . ('0' x 64);
		$forge->('a wrong X-Qregg-Signature', \%h);
		%h = %{ signed_headers(%sig, id => fresh_id()) };
		delete $h{'X-Qregg-Signature'};
		$forge->('no X-Qregg-Signature', \%h);
		%h = %{ signed_headers(%sig, id => fresh_id()) };
		delete @h{qw(webhook-signature webhook-timestamp)};
		$forge->('only X-Qregg-Signature (no timestamp to check)', \%h);
		%h = %{ signed_headers(%sig, id => fresh_id()) };
		$h{'webhook-signature'} = 'v1,' . ('A' x 43) . '=';
		$forge->('a wrong webhook-signature', \%h);

		sleep 0.5;
		my @ev = events_of($r);
		is(scalar @ev, $before + 1, "$n: only the control was logged, once");
		my %bad = map { $_ => 1 } @bad;
		ok(!grep({ $bad{$_->{webhookId} // ''} } @ev),
		    "$n: none of the refused requests was logged");
		ok(!grep({ $_->{unparsed} } @ev), "$n: stdout holds JSON lines only");
	}
};

subtest 'an acknowledged delivery is not sent again; a rotated secret still verifies' => sub {
	# A manual retry of the code.created delivery the receiver already
	# acknowledged is refused (409): nothing is sent twice once it was
	# acknowledged.  (The receivers also drop a repeated webhook-id, which
	# the forged-request subtest shows.)  And the secrets rotated: the
	# receivers still hold the old one, which signs for 24 h beside the new
	# (X-Qregg-Signature-Previous, a second webhook-signature entry).
	my $DEST3 = 'https://example.com/hook/3';
	for my $r (values %R) {
		my ($created) = grep { ($_->{event} // '') eq 'code.created' }
		    events_of($r);
		$r->{created} = $created->{webhookId} // '';
		my $rt = api(POST => "/api/v1/webhooks/$r->{webhook}/deliveries/"
		    . "$r->{created}/retry", token => $TOK);
		is($rt->{status}, 409, "$r->{name}: an acknowledged delivery is "
		    . 'not queued again') or diag($rt->{content});
		is($rt->{json}{error}{code}, 'conflict', "$r->{name}: 409 conflict");
		my $w = api(PATCH => "/api/v1/webhooks/$r->{webhook}", token => $TOK,
		    body => { rotateSecret => JSON::PP::true });
		is($w->{status}, 200, "$r->{name}: secret rotated");
		isnt($w->{json}{data}{secret} // $r->{secret}, $r->{secret},
		    "$r->{name}: ... to a new one");
	}
	my $p = api(PATCH => "/api/v1/codes/$CODE", token => $TOK,
	    body => { destination => $DEST3 });
	is($p->{status}, 200, 'the code changed again');

	my $updated3 = sub {
		my ($r) = @_;
		return grep { ($_->{event} // '') eq 'code.updated' &&
		    ($_->{data}{code}{payload}{url} // '') eq $DEST3 } events_of($r);
	};
	ok(wait_until(15, sub { !grep { !$updated3->($_) } values %R }),
	    'both received the new change within 15 s')
	    or diag(map { "$_->{name}:\n" . (slurp($_->{err}) // '') } values %R);
	for my $r (map { $R{$_->[0]} } @KINDS) {
		my @ev = events_of($r);
		is(scalar(grep { ($_->{webhookId} // '') eq $r->{created} } @ev), 1,
		    "$r->{name}: code.created arrived exactly once");
		ok(scalar $updated3->($r), "$r->{name}: the change after the "
		    . 'rotation verified with the old secret');
	}
};

done_testing();
