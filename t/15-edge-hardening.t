# The edge, as an attacker would try it (issue 10, items 7 and 8):
#   - the HTTP->HTTPS redirect and nginx's own redirects never echo the
#     client's Host header;
#   - TRACE, a 10 KB header and a 9 KB URI under /api/ get the JSON error
#     envelope with the right 4xx from nginx, on both listeners, while
#     qre's own 405 (with Allow) passes through;
#   - guessed tokens each have a fresh per-key bucket, so one address
#     cycling random tokens over HTTPS is throttled by its own bucket,
#     with the same 429 JSON and Retry-After;
#   - an account has at most 100 live tokens (403, naming the limit),
#     also under 20 parallel creates, and qre-admin keeps to it too;
#   - a path that is not qre's ("/", "/index.html") is the JSON 404, not
#     nginx's welcome page; an HTTP version or a transfer coding nginx
#     does not know is a JSON 400, not its 505/501 page; the redirect
#     listener answers its refusals (TRACE, big headers) with JSON too;
#   - nginx keeps rate-limit refusals out of its error log (they named
#     the client's address), and its access log has no address.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Temp ();
use POSIX qw(_exit);
use Time::HiRes ();
use IO::Socket::INET;
use Qre;

my $HTTPS = env('QRE_BASE_URL');
my $HTTP = env('QRE_HTTP_URL');
my $REDIRECT = env('QRE_REDIRECT_URL');

# curl(ARGS...) -> { status, headers, content, json }, without following.
sub curl {
	my @args = @_;
	my $dir = File::Temp::tempdir(CLEANUP => 1);
	system('curl', '-sk', '--max-time', '30', '-o', "$dir/b", '-D', "$dir/h", @args);
	my $head = slurp("$dir/h") // '';
	my ($status) = $head =~ m{^HTTP/\S+ (\d+)}m;
	my %h;
	for (split /\r?\n/, $head) {
		$h{lc $1} = $2 if /^([\w-]+):\s*(.*?)\s*$/;
	}
	my $content = slurp("$dir/b") // '';
	return { status => $status // 0, headers => \%h, content => $content,
	    json => decode_json_safe($content) };
}

# is_json_error(RESPONSE, STATUS, CODE, LABEL): nginx's answer is qre's
# envelope, and nothing but it.
sub is_json_error {
	my ($r, $status, $code, $label) = @_;
	subtest $label => sub {
		is($r->{status}, $status, "status $status");
		is($r->{headers}{'content-type'}, 'application/json', 'application/json');
		is($r->{json}{success}, 0, 'success: false') or diag($r->{content});
		is($r->{json}{error}{code}, $code, "code $code");
		like($r->{json}{error}{message} // '', qr/\S/, 'a message');
		is_deeply([sort keys %{ $r->{json} // {} }], [qw(error success)],
		    'no other member');
	};
}

# ---- redirects name the configured host, never the client's Host --------

my ($https_hostport) = $HTTPS =~ m{^https://([^/]+)};
{
	my $r = curl('-H', 'Host: evil.example', "$REDIRECT/api/tokens?x=1");
	is($r->{status}, 301, 'http -> https: 301');
	is($r->{headers}{location}, "https://$https_hostport/api/tokens?x=1",
	    'Host: evil.example is redirected to the configured host and port');
	$r = curl('-H', 'Host: evil.example:1', "$REDIRECT/");
	is($r->{headers}{location}, "https://$https_hostport/",
	    'the same with a port in Host');
	for my $base ($HTTPS, $HTTP) {
		$r = curl('-H', 'Host: evil.example', "$base/docs");
		is($r->{status}, 301, "$base/docs: 301");
		unlike($r->{headers}{location} // '', qr/evil/,
		    "$base/docs: Location does not echo Host ($r->{headers}{location})");
		like($r->{headers}{location} // '', qr{^(?:https://\Q$https_hostport\E)?/docs/$},
		    "$base/docs: Location is /docs/ on this server");
	}
}

# ---- nginx's refusals are JSON ---------------------------------------------

my $big = 'a' x 10240;
my $long = '/api/' . ('a' x 9216);
for my $base ($HTTPS, $HTTP) {
	my $which = $base eq $HTTPS ? 'https' : 'loopback http';
	is_json_error(curl('-X', 'TRACE', "$base/api/tokens"), 405,
	    'method_not_allowed', "$which: TRACE /api/tokens");
	is_json_error(curl('-X', 'TRACE', "$base/healthz"), 405,
	    'method_not_allowed', "$which: TRACE /healthz");
	is_json_error(curl('-X', 'TRACE', "$base/Ab3xY7z"), 405,
	    'method_not_allowed', "$which: TRACE a short code");
	my $r = curl('-H', "X-Big: $big", "$base/api/tokens");
	ok($r->{status} == 431 || $r->{status} == 400, "$which: 10 KB header: $r->{status}");
	is_json_error($r, $r->{status}, 'bad_request', "$which: 10 KB header");
	is_json_error(curl('-H', "Cookie: $big", "$base/api/tokens"), $r->{status},
	    'bad_request', "$which: 10 KB cookie");
	is_json_error(curl(map({ ('-H', "X-H$_: " . ('b' x 7000)) } 1 .. 6),
	    "$base/api/tokens"), $r->{status}, 'bad_request',
	    "$which: 42 KB of headers in 7 KB lines");
	is_json_error(curl("$base$long"), 414, 'bad_request', "$which: 9 KB URI under /api/");
	# qre's own 405 is still qre's: the Allow header and its message.
	$r = curl('-X', 'PUT', "$base/api/tokens");
	is($r->{status}, 405, "$which: PUT /api/tokens is qre's 405");
	is($r->{headers}{allow}, 'POST, GET', "$which: with Allow");
	like($r->{json}{error}{message} // '', qr{^PUT is not allowed on /api/tokens},
	    "$which: and qre's message");
}

# ---- every path that is not ours is the JSON 404 ------------------------------

for my $base ($HTTPS, $HTTP) {
	my $which = $base eq $HTTPS ? 'https' : 'loopback http';
	for my $path ('/', '/%2F', '/index.html', '/a/b', '/favicon.ico',
	    '/__qre_errors/400.json', '/docs/no-such-file') {
		is_json_error(curl("$base$path"), 404, 'not_found', "$which: GET $path");
	}
	my $r = curl('-I', "$base/index.html");
	is($r->{status}, 404, "$which: HEAD /index.html: 404");
	# Ours still answer: the health check, the docs, the short codes
	# (qre's own page for an unknown one) and the API.
	is(curl("$base/healthz")->{status}, 200, "$which: /healthz: 200");
	is(curl("$base/docs/")->{status}, 200, "$which: /docs/: 200");
	$r = curl("$base/Zz9Zz9Z");
	is($r->{status}, 404, "$which: an unknown short code: 404");
	like($r->{headers}{'content-type'} // '', qr{^text/html}, "$which: qre's page");
	is(curl("$base/api/tokens")->{json}{error}{code}, 'unauthorized',
	    "$which: /api/tokens is qre's");
}

# ---- what nginx cannot read is a JSON 400 --------------------------------------

# One request as raw bytes to HOST:PORT: (status, content type, body).
sub raw_http {
	my ($url, $bytes) = @_;
	my ($port) = $url =~ m{:(\d+)$} or die "no port in $url";
	my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
	    Timeout => 10) or die "connect $url: $!";
	print $s $bytes;
	local $/;
	my $answer = <$s> // '';
	close $s;
	my ($head, $body) = split /\r\n\r\n/, $answer, 2;
	my ($status) = ($head // '') =~ m{^HTTP/\S+ (\d+)};
	my ($ct) = ($head // '') =~ m{^Content-Type:\s*(\S+)}mi;
	return { status => $status // 0, headers => { 'content-type' => $ct },
	    content => $body // '', json => decode_json_safe($body // '') };
}

for my $base ($HTTP, $REDIRECT) {
	my $which = $base eq $HTTP ? 'loopback http' : 'redirect listener';
	is_json_error(raw_http($base, "GET /api/tokens HTTP/2.0\r\nHost: localhost\r\n"
	    . "Connection: close\r\n\r\n"), 400, 'bad_request', "$which: HTTP/2.0 "
	    . 'in an HTTP/1 request line');
	is_json_error(raw_http($base, "POST /api/codes/generate HTTP/1.1\r\n"
	    . "Host: localhost\r\nTransfer-Encoding: gzip\r\nContent-Type: "
	    . "application/json\r\nConnection: close\r\n\r\n{}"), 400,
	    'bad_request', "$which: Transfer-Encoding: gzip");
}

# ---- the redirect listener's refusals are JSON --------------------------------

{
	is_json_error(curl('-X', 'TRACE', "$REDIRECT/api/tokens"), 405,
	    'method_not_allowed', 'redirect listener: TRACE');
	my $r = curl('-H', "X-Big: $big", "$REDIRECT/api/tokens");
	is_json_error($r, 431, 'bad_request', 'redirect listener: 10 KB header');
	is_json_error(curl("$REDIRECT$long"), 414, 'bad_request',
	    'redirect listener: 9 KB URI');
	is_json_error(raw_http($REDIRECT, "nonsense\r\n\r\n"), 400, 'bad_request',
	    'redirect listener: a malformed request line');
	$r = curl("$REDIRECT/index.html?a=1");
	is($r->{status}, 301, 'redirect listener: any other path is still a 301');
	is($r->{headers}{location}, "https://$https_hostport/index.html?a=1",
	    'to the same path on HTTPS');
}

# ---- one address cycling random tokens is throttled --------------------------

{
	# An address of this test's own, so that the bucket is ours alone.
	my $src = join '.', 127, map { 1 + int rand 250 } 1 .. 3;
	my $logs = env('QRE_VAR') . '/log';
	my $error_from = -s "$logs/nginx-error.log" // 0;
	my @c = ('A' .. 'Z', 'a' .. 'z', 0 .. 9);
	my ($n, $limited, %seen) = (0);
	# Chunks of 200 guesses, until nginx says 429 (at most 3,000).
	while (!$limited && $n < 3000) {
		my @batch = map {
			[GET => '/api/tokens', 'qre_' . join('', map { $c[rand @c] } 1 .. 40)]
		} 1 .. 200;
		for my $r (api_https_batch(\@batch, source => $src)) {
			$n++;
			$seen{ $r->{status} }++;
			if ($r->{status} == 429) {
				$limited = $r;
				last;
			}
		}
	}
	ok($limited, "random tokens from one address: 429 after $n requests")
	    or diag(join ', ', map { "$_: $seen{$_}" } sort keys %seen);
	ok($n > 300, 'not before the address had 300 at once');
	is_deeply([sort keys %seen], [401, 429], 'until then, 401 for each guess');
	$limited //= { json => {}, headers => {} };
	is_json_error($limited, 429, 'rate_limited', 'the 429 is the JSON envelope');
	like($limited->{headers}{'retry-after'} // '', qr/^[1-9][0-9]*$/, 'with Retry-After');
	# No raw address kept: not in the error log (nginx logged each
	# refusal at "error" with "client: ADDRESS"), nor in the access log.
	my $error_log = substr(slurp("$logs/nginx-error.log") // '', $error_from);
	unlike($error_log, qr/limiting requests/, 'no rate-limit refusal in nginx\'s error log');
	unlike($error_log, qr/\Q$src\E\b/, "the address ($src) is not in nginx's error log");
	Time::HiRes::sleep(1.5);	# the access log is flushed every second
	my $access = slurp("$logs/nginx-access.log") // '';
	like($access, qr/ 429 /, 'the 429s are in the access log');
	unlike($access, qr/\Q$src\E\b/, "the address ($src) is not in the access log");
	# The bucket is the address's: another one is not throttled.
	my ($e, $tok) = new_account('enterprise');
	my ($r) = api_https_batch([[GET => '/api/tokens', $tok]],
	    source => join('.', 127, map { 1 + int rand 250 } 1 .. 3));
	is($r->{status}, 200, 'a key from another address: 200');
}

# ---- at most 100 live tokens per account -----------------------------------

sub create_token {
	my ($tok, $name) = @_;
	return api(POST => '/api/tokens', token => $tok, body => { name => $name });
}

sub live_tokens {
	my ($email) = @_;
	return mysql_value("SELECT COUNT(*) FROM tokens t JOIN accounts a ON "
	    . "a.id = t.account_id WHERE a.email = '$email' AND t.revoked_at IS NULL");
}

{
	# Whatever the plan: even an enterprise (unlimited) account.
	my ($email, $tok) = new_account('enterprise');
	my $ok = 0;
	$ok += create_token($tok, "t$_")->{status} == 201 for 2 .. 100;
	is($ok, 99, '99 more tokens beside "test": 100 live');
	is(live_tokens($email), 100, '100 live tokens stored');
	my $r = create_token($tok, 't101');
	is($r->{status}, 403, 'the 101st: 403');
	is($r->{json}{error}{code}, 'plan_limit_reached', 'plan_limit_reached');
	like($r->{json}{error}{message}, qr/\b100\b.*tokens/, 'the message names the limit')
	    or diag($r->{content});
	is(live_tokens($email), 100, 'still 100 live tokens');
	my ($rc, $out, $err) = admin('token', 'create', '--account', $email, '--name', 'adm');
	is($rc, 1, 'qre-admin token create at the limit: exit 1');
	like($err, qr/\b100\b/, 'qre-admin says why');
	is($out, '', 'and prints no token');
	is(live_tokens($email), 100, 'still 100 live tokens');

	# Revoked tokens do not count.
	is(api(DELETE => '/api/tokens/t2', token => $tok)->{status}, 200, 'revoke one');
	is(create_token($tok, 't101')->{status}, 201, 'then one more fits');
	is(create_token($tok, 't102')->{status}, 403, 'and no second one');

	# 20 parallel creates with room for 5.
	is(api(DELETE => "/api/tokens/t$_", token => $tok)->{status}, 200, "revoke t$_")
	    for 3 .. 7;
	is(live_tokens($email), 95, '95 live tokens');
	my (@kids, %status);
	pipe(my $gate_r, my $gate_w) or die "pipe: $!";
	for my $i (1 .. 20) {
		my $pid = fork // die "fork: $!";
		if ($pid == 0) {
			close $gate_w;
			my $go = <$gate_r>;
			my $r = create_token($tok, "race $i");
			my $code = $r->{json} && $r->{json}{error}
			    ? $r->{json}{error}{code} // '' : '';
			_exit($r->{status} == 201 ? 0 :
			    $r->{status} == 403 && $code eq 'plan_limit_reached' ? 1 : 2);
		}
		push @kids, $pid;
	}
	close $gate_r;
	Time::HiRes::sleep(0.2);	# let them all reach the line
	close $gate_w;
	for my $pid (@kids) {
		waitpid($pid, 0);
		$status{ $? >> 8 }++;
	}
	is($status{0} // 0, 5, 'race: exactly 5 creates succeeded (201)');
	is($status{1} // 0, 15, 'race: the other 15 got 403 plan_limit_reached');
	is($status{2} // 0, 0, 'race: no other answer');
	is(live_tokens($email), 100, 'race: exactly 100 live tokens');
	$r = api(GET => '/api/tokens', token => $tok);
	is(scalar @{ $r->{json}{data}{tokens} // [] }, 100, 'race: 100 listed');
}

done_testing();
