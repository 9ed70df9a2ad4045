# The redirect, GET|HEAD /{shortCode}: 302 for an active URL code (with
# Location and Cache-Control: private, no-store), 200 and an escaped
# HTML page for a text code, 410 when inactive, 404 when deleted or
# unknown; only GET records a scan.  Changes made on either API surface
# are seen by the very next request on every worker: each check runs 10
# requests through nginx and 5 pairs held on both workers at once over
# FastCGI.  Malformed short codes never reach the database, and a
# well-formed unknown one costs one statement, then comes from the cache.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use HTTP::Tiny;
use JSON::PP ();
use Time::HiRes qw(sleep time);
use Qre;
use FCGIClient;
use Sandbox;

my $T = JSON::PP::true;
my $F = JSON::PP::false;
my $CONF = slurp(env('QRE_CONFIG')) // '';
my ($PUBLIC_URL) = $CONF =~ /^public_url\s*=\s*(\S+)/m;
$PUBLIC_URL //= 'https://localhost:8443';
my ($FCGI_SOCK) = $CONF =~ /^listen\s*=\s*(\S+)/m;
my $SHORT = qr/^[0-9A-Za-z]{7}$/;
my $UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 '
    . '(KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.65';
my $QRE_404 = qr/This code does not exist/;	# qre's own 404 page
my $GONE = qr/no longer active/;		# qre's 410 page

# ---- helpers -------------------------------------------------------------

# Redirects are not followed: the 302 itself is what is tested.
my $HTTP = HTTP::Tiny->new(timeout => 15, keep_alive => 0, max_redirect => 0,
    agent => $UA);

# hit(METHOD, PATH, HEADERS...) -> { status, headers, content } via nginx
sub hit {
	my ($method, $path, %h) = @_;
	return $HTTP->request($method, env('QRE_HTTP_URL') . $path,
	    { headers => \%h });
}

sub v1 {
	my ($tok, %body) = @_;
	return api(POST => '/api/v1/codes', token => $tok, body => \%body);
}

# One row of a query as root: the list of its columns.
sub mysql_row {
	my ($sql) = @_;
	open(my $fh, '-|', 'mariadb', '--no-defaults', '-S',
	    env('QRE_MYSQL_SOCKET'), '-u', env('QRE_MYSQL_USER') // 'root', '-N', '-B', 'qre', '-e', $sql)
	    or die "mariadb: $!";
	my $line = <$fh>;
	close $fh;
	return () unless defined $line;
	chomp $line;
	return split /\t/, $line, -1;
}

# The statement counter of the sandbox's own MariaDB (below): server-wide,
# so only a server that nothing else uses counts one qre-fcgi's statements.
my $SB;
sub stmt_executes {
	my ($row) = $SB->db_rows("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'");
	return $row->[1];
}

sub scans_of {
	my ($id) = @_;
	return mysql_value("SELECT COUNT(*) FROM scans s JOIN codes c ON "
	    . "c.id = s.code_id WHERE c.public_id = '$id'") // 0;
}

# The scans of a code once the writers have had time to store all of
# them: waits for at least $want, then some more flush periods, so that a
# scan that should not exist would have arrived too.
sub settled_scans {
	my ($id, $want) = @_;
	wait_until(5, sub { scans_of($id) >= $want });
	sleep 0.7;
	return scans_of($id);
}

# Where a process's main thread sleeps ("do_epoll_wait" when idle).
sub wchan {
	my ($pid) = @_;
	return slurp("/proc/$pid/wchan") // '';
}

sub fcgi_params {
	my ($path) = @_;
	return FCGIClient::params(REQUEST_METHOD => 'GET', REQUEST_URI => $path,
	    SERVER_PROTOCOL => 'HTTP/1.1', CONTENT_LENGTH => 0,
	    REMOTE_ADDR => '127.0.0.1', HTTP_USER_AGENT => $UA);
}

# Two GETs of PATH straight to the stack's qre-fcgi, each held by its own
# worker at the same time (the first one's head is sent only once both
# workers are busy reading), so that both workers answer one of them.
# Returns (both workers held them, response, response).
sub on_both_workers {
	my ($path) = @_;
	my @w = worker_pids(master_pid());
	my @socks;
	for (1 .. 2) {
		my $s = FCGIClient::connect($FCGI_SOCK) or die "connect: $!";
		print $s FCGIClient::record(FCGIClient::BEGIN_REQUEST(),
		    pack('nCx5', FCGIClient::RESPONDER(), 0));
		$s->flush;
		push @socks, $s;
	}
	my $held = @w == 2 && wait_until(3, sub {
	    2 == grep { wchan($_) =~ /unix_stream_read|sock_read|wait_woken/ } @w });
	for my $s (@socks) {
		print $s FCGIClient::record(FCGIClient::PARAMS(), fcgi_params($path))
		    . FCGIClient::record(FCGIClient::PARAMS(), '')
		    . FCGIClient::record(FCGIClient::FCGI_STDIN(), '');
		$s->flush;
	}
	my @r = map { FCGIClient::response($_) } @socks;
	close $_ for @socks;
	return ($held, @r);
}

# 10 requests through nginx and 5 pairs on both workers: how many of the
# 20 answers CHECK accepts (it gets status, headers, body).
sub all_answers {
	my ($path, $check) = @_;
	my ($good, $held) = (0, 0);
	for (1 .. 10) {
		my $r = hit(GET => $path);
		$good++ if $check->($r->{status}, $r->{headers}, $r->{content} // '');
	}
	for (1 .. 5) {
		my ($h, @r) = on_both_workers($path);
		$held++ if $h;
		for my $r (@r) {
			$good++ if $r && $check->($r->{status}, $r->{headers}, $r->{body});
		}
	}
	return ($good, $held);
}

sub is_all {
	my ($path, $check, $what) = @_;
	my ($good, $held) = all_answers($path, $check);
	is($good, 20, "$what: 20 of 20 answers (10 via nginx, 5 pairs on both workers)");
	# The pairs must really have reached both workers for the check to
	# mean anything; on a loaded machine a pair may now and then miss.
	cmp_ok($held, '>=', 3, "$what: pairs held by both workers at once ($held of 5)");
}

sub redirects_to {
	my ($dest) = @_;
	return sub { my ($st, $h) = @_; $st == 302 && ($h->{location} // '') eq $dest };
}

sub gone { sub { $_[0] == 410 && $_[2] =~ $GONE } }
sub missing { sub { $_[0] == 404 && $_[2] =~ $QRE_404 } }

# A counter that nothing else moves for a moment: the other workers'
# writers have nothing pending and nobody else is using the database.
sub quiet_executes {
	for (1 .. 12) {
		my $a = stmt_executes();
		sleep 0.4;
		my $b = stmt_executes();
		return $b if $a == $b;
	}
	return undef;
}

# Statements executed while CODE runs, or undef when the database was
# not quiet before and after (another client was busy).
sub executes_during {
	my ($code) = @_;
	for (1 .. 2) {
		my $before = quiet_executes() // return undef;
		$code->();
		my $after = stmt_executes();
		sleep 0.4;
		return $after - $before if stmt_executes() == $after;
	}
	return undef;
}

sub random_short {
	my @c = ('0' .. '9', 'A' .. 'Z', 'a' .. 'z');
	for (1 .. 10) {
		my $s = join '', map { $c[int rand @c] } 1 .. 7;
		return $s unless mysql_value("SELECT COUNT(*) FROM codes WHERE "
		    . "short_code = '$s'");
	}
	die 'no free short code';
}

ok($FCGI_SOCK && -S $FCGI_SOCK, "the stack's qre-fcgi socket ($FCGI_SOCK)");
is(scalar(my @w = worker_pids(master_pid())), 2, 'the stack runs two workers');

my ($email, $tok) = new_account('enterprise');

# ---- an active URL code -----------------------------------------------------
my $dest1 = 'https://example.com/landing?utm=qre&x=1';
my $r = v1($tok, type => 'url', title => 'URL', payload => { url => $dest1 });
is($r->{status}, 201, 'URL code created');
my $U = $r->{json}{data};
like($U->{shortCode}, $SHORT, 'it has a short code');
is($U->{shortUrl}, "$PUBLIC_URL/$U->{shortCode}", 'shortUrl = public_url/shortCode');
my $Upath = "/$U->{shortCode}";

$r = hit(GET => $Upath);
is($r->{status}, 302, 'GET: 302');
is($r->{headers}{location}, $dest1, 'Location is the destination, unchanged');
is($r->{headers}{'cache-control'}, 'private, no-store', 'Cache-Control: private, no-store');
is(settled_scans($U->{id}, 1), 1, 'the GET recorded one scan');

# HEAD answers the same and records nothing.
$r = hit(HEAD => $Upath);
is($r->{status}, 302, 'HEAD: 302');
is($r->{headers}{location}, $dest1, 'HEAD: Location');
is($r->{headers}{'cache-control'}, 'private, no-store', 'HEAD: Cache-Control');
is($r->{content} // '', '', 'HEAD: no body');
hit(HEAD => $Upath) for 1 .. 4;
is(settled_scans($U->{id}, 1), 1, 'five HEADs: still one scan');

# Other methods are refused and record nothing.
$r = hit(POST => $Upath);
is($r->{status}, 405, 'POST on a short code: 405');
like($r->{headers}{allow} // '', qr/\bGET\b/, 'Allow names GET');
is(settled_scans($U->{id}, 1), 1, 'the POST recorded nothing');

# ---- an active text code -----------------------------------------------------
my $text = qq{Hi <script>alert("x")</script> & Tom's "caf\x{e9}"\nline two};
$r = v1($tok, type => 'text', title => 'Text', payload => { text => $text });
is($r->{status}, 201, 'text code created');
my $X = $r->{json}{data};
my $Xpath = "/$X->{shortCode}";
$r = hit(GET => $Xpath);
is($r->{status}, 200, 'text code GET: 200');
like($r->{headers}{'content-type'} // '', qr{^text/html;\s*charset=utf-8$}i,
    'text/html; charset=utf-8');
is($r->{headers}{'cache-control'}, 'private, no-store', 'text page: Cache-Control');
my $page = $r->{content} // '';
like($page, qr/^<!doctype html>/i, 'an HTML document');
my $escaped = 'Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; '
    . "Tom&apos;s &quot;caf\xc3\xa9&quot;<br>line two";
ok(index($page, $escaped) >= 0, 'the text, HTML-escaped, line break as <br>')
    or diag($page);
unlike($page, qr/<script/i, 'no <script> element in the page');
unlike($page, qr/& /, 'no bare ampersand');
is(settled_scans($X->{id}, 1), 1, 'text GET recorded one scan');
$r = hit(HEAD => $Xpath);
is($r->{status}, 200, 'text code HEAD: 200');
like($r->{headers}{'content-type'} // '', qr{^text/html}, 'HEAD: text/html');
is($r->{content} // '', '', 'HEAD: no body');
is(settled_scans($X->{id}, 1), 1, 'HEAD recorded nothing');

# Windows line breaks and tabs are part of the text: shown, not replaced.
$r = v1($tok, type => 'text', payload => { text => "one\r\ntwo\tthree" });
is($r->{status}, 201, 'text with CRLF and a tab created');
$r = hit(GET => "/$r->{json}{data}{shortCode}");
is($r->{status}, 200, 'CRLF text: 200');
unlike($r->{content} // '', qr/\xef\xbf\xbd/,
    'no U+FFFD replacement character for CR or tab');
like($r->{content} // '', qr{one\r?<br>two\tthree}, 'CRLF is one line break, the tab kept');

# ---- inactive: 410 at once on every worker, and back -------------------------
$r = v1($tok, type => 'url', payload => { url => 'https://example.com/soon-off' });
my $I = $r->{json}{data};
my $Ipath = "/$I->{shortCode}";
is_all($Ipath, redirects_to('https://example.com/soon-off'), 'before: 302 (now cached everywhere)');
my $iscans = settled_scans($I->{id}, 20);
is($iscans, 20, 'twenty scans recorded');
$r = api(PATCH => "/api/v1/codes/$I->{id}", token => $tok, body => { active => $F });
is($r->{status}, 200, 'PATCH active false: 200');
is_all($Ipath, gone(), 'right after PATCH active=false: 410');
$r = hit(GET => $Ipath);
like($r->{headers}{'content-type'} // '', qr{^text/html}, '410 is an HTML page');
is(settled_scans($I->{id}, $iscans), $iscans, 'no scans recorded by the 410s');
$r = hit(HEAD => $Ipath);
is($r->{status}, 410, 'HEAD inactive: 410');
$r = api(PATCH => "/api/v1/codes/$I->{id}", token => $tok, body => { active => $T });
is($r->{status}, 200, 'PATCH active true: 200');
is_all($Ipath, redirects_to('https://example.com/soon-off'), 'right after reactivation: 302');

# Control: a change behind qre's back (plain SQL, so no change counter is
# bumped) is not seen while the workers' cache entries live.  This is the
# staleness the checks above would catch if an API change forgot to bump.
mysql_value("UPDATE codes SET target = 'https://example.com/behind-the-back' "
    . "WHERE public_id = '$I->{id}'");
my ($stale) = all_answers($Ipath, redirects_to('https://example.com/soon-off'));
is($stale, 20, 'control: an SQL-only change is not seen yet (the cache is real)');
$r = api(PATCH => "/api/v1/codes/$I->{id}", token => $tok,
    body => { destination => 'https://example.com/back-on' });
is($r->{status}, 200, 'PATCH destination after it: 200');
is_all($Ipath, redirects_to('https://example.com/back-on'), 'and the API change is seen at once');

# ---- destination changes on both surfaces -----------------------------------
is_all($Upath, redirects_to($dest1), 'U before any change');
my $dest2 = 'https://example.net/second?via=patch';
$r = api(PATCH => "/api/v1/codes/$U->{id}", token => $tok, body => { destination => $dest2 });
is($r->{status}, 200, 'PATCH destination: 200');
is_all($Upath, redirects_to($dest2), 'right after PATCH destination');

my $dest3 = 'https://example.org/third?via=put';
$r = api(PUT => "/api/codes/$U->{id}", token => $tok, body => { targetUrl => $dest3 });
is($r->{status}, 200, 'PUT /api/codes targetUrl: 200');
is_all($Upath, redirects_to($dest3), 'right after PUT targetUrl');

$r = api(PUT => "/api/codes/$U->{id}", token => $tok, body => { isActive => $F });
is($r->{status}, 200, 'PUT isActive false: 200');
is_all($Upath, gone(), 'right after PUT isActive=false');
$r = api(PUT => "/api/codes/$U->{id}", token => $tok, body => { isActive => $T });
is_all($Upath, redirects_to($dest3), 'right after PUT isActive=true');

$r = api(PUT => "/api/codes/$U->{id}", token => $tok,
    body => { targetData => 'Now a <b>text</b> & more' });
is($r->{status}, 200, 'PUT targetData: 200');
is_all($Upath, sub { $_[0] == 200 &&
    index($_[2], 'Now a &lt;b&gt;text&lt;/b&gt; &amp; more') >= 0 },
    'right after PUT targetData: the escaped text page');

# A code made on the codes API redirects too, and its PUT is seen at once.
$r = api(POST => '/api/codes/generate', token => $tok,
    body => { type => 'qr', data => 'https://example.com/g1', isDynamic => $T });
is($r->{status}, 201, 'dynamic code made with /api/codes/generate');
my $G = $r->{json}{data};
is_all("/$G->{shortCode}", redirects_to('https://example.com/g1'), 'generate-made code: 302');
$r = api(PATCH => "/api/v1/codes/$G->{id}", token => $tok,
    body => { destination => 'https://example.com/g2' });
is($r->{status}, 200, 'v1 PATCH of a generate-made code: 200');
is_all("/$G->{shortCode}", redirects_to('https://example.com/g2'), 'and its redirect follows at once');

# ---- deleted: 404 at once --------------------------------------------------------
$r = v1($tok, type => 'url', payload => { url => 'https://example.com/doomed' });
my $D = $r->{json}{data};
is_all("/$D->{shortCode}", redirects_to('https://example.com/doomed'), 'before delete: 302');
# Let those scans be stored first: a scan still buffered when its code is
# deleted jams the worker's writer (see t/61-scans.t), and this stack is
# shared.
is(settled_scans($D->{id}, 20), 20, 'its 20 scans are stored before the delete');
$r = api(DELETE => "/api/v1/codes/$D->{id}", token => $tok);
is($r->{status}, 200, 'v1 DELETE: 200');
is_all("/$D->{shortCode}", missing(), 'right after v1 DELETE: 404');
$r = hit(GET => "/$D->{shortCode}");
like($r->{headers}{'content-type'} // '', qr{^text/html}, 'the 404 is an HTML page');
is(mysql_value("SELECT COUNT(*) FROM scans s LEFT JOIN codes c ON c.id = s.code_id "
    . "WHERE c.id IS NULL"), 0, 'no scan rows left without their code');

is(settled_scans($G->{id}, 40), 40, "G's 40 scans are stored before the delete");
$r = api(DELETE => "/api/codes/$G->{id}", token => $tok);
is($r->{status}, 200, 'DELETE /api/codes/:id: 200');
is_all("/$G->{shortCode}", missing(), 'right after /api/codes DELETE: 404');

# ---- unknown and malformed short codes -----------------------------------------
my $unknown = random_short();
$r = hit(GET => "/$unknown");
is($r->{status}, 404, 'unknown short code: 404');
like($r->{content} // '', $QRE_404, "qre's 404 page");
like($r->{headers}{'content-type'} // '', qr{^text/html}, 'text/html');
$r = hit(HEAD => "/$unknown");
is($r->{status}, 404, 'HEAD unknown: 404');
(my $swapped = $U->{shortCode}) =~ tr/a-zA-Z/A-Za-z/;
SKIP: {
	skip 'short code has no letters', 1 if $swapped eq $U->{shortCode}
	    || mysql_value("SELECT COUNT(*) FROM codes WHERE short_code = '$swapped'");
	is(hit(GET => "/$swapped")->{status}, 404, "case matters: /$swapped is 404");
}

my $ubefore = settled_scans($U->{id}, 0);
my $sc = $U->{shortCode};
my %bad = (
	'20 characters'       => ["/" . substr($sc x 3, 0, 20), 404],
	'6 characters'        => ["/" . substr($sc, 0, 6), 404, $QRE_404],
	'8 characters'        => ["/${sc}A", 404, $QRE_404],
	'not base62'          => ['/abc-def', 404],
	'dot dot slash'       => ['/../', 400, qr/"code":"bad_request"/],
	'NUL byte'            => ['/%00', 400, qr/"code":"bad_request"/],
	'encoded slash'       => ["/$sc%2F", 404],
);
for my $what (sort keys %bad) {
	my ($path, $status, $body) = @{ $bad{$what} };
	$r = hit(GET => $path);
	is($r->{status}, $status, "$what ($path): $status");
	like($r->{content} // '', $body, "$what: body") if $body;
	like($r->{headers}{'content-type'} // '', qr{^application/json}, "$what: JSON")
	    if $status == 400;
}
# Past nginx, straight to qre: still only 7 base62 characters.
for my $path ('/abc-def', '/abc.def', "/" . substr($sc, 0, 6) . '_', "/${sc}0",
    "/" . substr($sc, 0, 6)) {
	my $fr = FCGIClient::request($FCGI_SOCK, uri => $path,
	    env => { HTTP_USER_AGENT => $UA });
	is($fr && $fr->{status}, 404, "FastCGI $path: 404");
	like($fr ? $fr->{body} : '', $QRE_404, "FastCGI $path: qre's 404 page");
}
is(settled_scans($U->{id}, $ubefore), $ubefore, 'none of them recorded a scan of U');

# ---- the database is touched at most once per short code -------------------------
# Each worker keeps its own cache, so through two workers an unknown code
# costs at most one lookup per worker; a qre-fcgi of one worker shows the
# exact count: one lookup, then the cache.  The two-worker count is taken
# on a sandbox (t/lib/Sandbox.pm): a qre-fcgi and a MariaDB of its own,
# so that no other client (the stack's webhook sender, other tests) moves
# the server-wide counter.
$SB = Sandbox->new(mysqld => 'own', workers => 2);
SKIP: {
	my $fresh = random_short();
	my $sb_get = sub { $SB->api(GET => $_[0], headers => { 'User-Agent' => $UA }) };
	my $d = executes_during(sub { $sb_get->("/$fresh") for 1 .. 10 });
	skip 'the database never went quiet (another client is busy)', 2
	    unless defined $d;
	# The exact count (one lookup) is asserted below on a one-worker
	# qre-fcgi; a global counter read across two workers can miss it.
	diag("10 GETs of an unknown code on two workers: $d statement(s)");
	ok($d <= 2, "10 GETs of an unknown code on two workers: at most one statement per "
	    . "worker (got $d)");
	$d = executes_during(sub {
		$sb_get->($_) for '/' . substr($sc, 0, 6), "/${sc}A", '/abcdefghij';
		FCGIClient::request($SB->{socket}, uri => $_) for '/abc-def', '/abc%00de';
	});
	skip 'the database never went quiet (another client is busy)', 1
	    unless defined $d;
	is($d, 0, 'malformed short codes: no statement at all');
}
# A qre-fcgi of one worker, watched through its own database connection:
# information_schema.PROCESSLIST shows the id of the last statement each
# connection ran, so a request that ran any statement moves it.
sub qre_query_ids {
	my %q;
	open(my $fh, '-|', 'mariadb', '--no-defaults', '-S', env('QRE_MYSQL_SOCKET'),
	    '-u', env('QRE_MYSQL_USER') // 'root', '-N', '-B', '-e', 'SELECT ID, QUERY_ID FROM '
	    . 'information_schema.PROCESSLIST WHERE USER <> SUBSTRING_INDEX(CURRENT_USER(), \'@\', 1)') or die "mariadb: $!";
	while (my $line = <$fh>) {
		chomp $line;
		my ($id, $q) = split /\t/, $line;
		$q{$id} = $q;
	}
	close $fh;
	return \%q;
}
{
	my $before = qre_query_ids();
	my $s = start_private_fcgi(workers => 1);
	# Its connection: new since the start, idle while nothing is asked,
	# and moved by a /healthz (SELECT 1).
	my ($conn, @cands);
	for (1 .. 5) {
		my $idle = qre_query_ids();
		@cands = grep { !exists $before->{$_} } keys %$idle;
		sleep 0.3;
		my $still = qre_query_ids();
		@cands = grep { defined $still->{$_} && $still->{$_} == $idle->{$_} } @cands;
		FCGIClient::request($s->{socket}, uri => '/healthz');
		my $after = qre_query_ids();
		@cands = grep { defined $after->{$_} && $after->{$_} != $still->{$_} } @cands;
		if (@cands == 1) { $conn = $cands[0]; last }
	}
	ok(defined $conn, 'found the private worker\'s database connection'
	    . (defined $conn ? " ($conn)" : ' (candidates: ' . join(',', @cands) . ')'));
	SKIP: {
		skip 'no connection to watch', 3 unless defined $conn;
		my $moves = sub {
			my ($path) = @_;
			my $q0 = qre_query_ids()->{$conn} // -1;
			my $r = FCGIClient::request($s->{socket}, uri => $path,
			    env => { HTTP_USER_AGENT => $UA });
			my $q1 = qre_query_ids()->{$conn} // -2;
			return [($r ? $r->{status} : 0), $q1 != $q0 ? 'db' : 'cache'];
		};
		my $fresh = random_short();
		is_deeply([map { $moves->("/$fresh") } 1 .. 5],
		    [[404, 'db'], map { [404, 'cache'] } 1 .. 4],
		    'unknown code, 5 GETs: only the first touched the database');
		is_deeply([map { $moves->($Ipath) } 1 .. 5],
		    [[302, 'db'], map { [302, 'cache'] } 1 .. 4],
		    'active code, 5 GETs: only the first touched the database (scans go '
		    . 'through the writer\'s own connection)');
		is_deeply([map { $moves->($_) } '/' . substr($sc, 0, 6), "/${sc}A",
		    '/abc-def', '/abcdefghij'],
		    [map { [404, 'cache'] } 1 .. 4],
		    'malformed short codes: no statement at all');
	}
	stop_private_fcgi($s);
}
done_testing();
