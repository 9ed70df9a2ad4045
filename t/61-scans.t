# Scans: what a redirect records (device, os, browser, bot flag from real
# User-Agent strings; referrer; country and city from nginx's geoip
# variables), bots kept but left out of every count, unique visitors, no
# raw IP address anywhere in the database, and no scan lost when a
# qre-fcgi stops gracefully or when a code is deleted while scans of it
# are still on their way.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use HTTP::Tiny;
use JSON::PP ();
use POSIX qw(strftime);
use Time::HiRes qw(sleep time);
use Qre;
use FCGIClient;

my $T = JSON::PP::true;
my $F = JSON::PP::false;
my $CONF = slurp(env('QRE_CONFIG')) // '';
my ($FCGI_SOCK) = $CONF =~ /^listen\s*=\s*(\S+)/m;
my $TODAY = strftime('%Y-%m-%d', gmtime);
my $RFC3339 = qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
my $IP = '203.0.113.77';

# ---- helpers -------------------------------------------------------------

my $HTTP = HTTP::Tiny->new(timeout => 15, keep_alive => 0, max_redirect => 0);

# A GET of a short code through nginx with these request headers.
sub scan {
	my ($code, %h) = @_;
	return $HTTP->get(env('QRE_HTTP_URL') . "/$code->{shortCode}",
	    { headers => \%h });
}

# The same straight to a qre-fcgi socket, with FastCGI params of our own
# (what nginx would pass: REMOTE_ADDR, GEOIP_*, HTTP_*).
sub scan_fcgi {
	my ($sock, $code, %env) = @_;
	return FCGIClient::request($sock, uri => "/$code->{shortCode}",
	    env => { REMOTE_ADDR => '127.0.0.1', %env });
}

sub v1_code {
	my ($tok, $title) = @_;
	my $r = api(POST => '/api/v1/codes', token => $tok, body => { type => 'url',
	    title => $title, payload => { url => "https://example.com/$title" } });
	die "create $title: $r->{status} $r->{content}" unless $r->{status} == 201;
	return $r->{json}{data};
}

sub scans_of {
	my ($code) = @_;
	return mysql_value("SELECT COUNT(*) FROM scans s JOIN codes c ON "
	    . "c.id = s.code_id WHERE c.public_id = '$code->{id}'") // 0;
}

# Wait until N scans of CODE are stored; the count then.
sub stored {
	my ($code, $n, $timeout) = @_;
	wait_until($timeout // 5, sub { scans_of($code) >= $n });
	return scans_of($code);
}

sub get_json {
	my ($tok, $path) = @_;
	my $r = api(GET => $path, token => $tok);
	return $r->{status} == 200 ? $r->{json} : { status => $r->{status},
	    content => $r->{content} };
}

sub by_value {
	my ($list) = @_;
	return { map { ($_->{value} // '(null)') => $_->{scans} } @{ $list // [] } };
}

# Every column of every table of schema qre that can hold text or bytes:
# how many rows hold NEEDLE, as text or (hex) bytes.
sub everywhere {
	my ($needle, @hex) = @_;
	my %cols;
	open(my $fh, '-|', 'mariadb', '--no-defaults', '-S', env('QRE_MYSQL_SOCKET'),
	    '-u', env('QRE_MYSQL_USER') // 'root', '-N', '-B', '-e', "SELECT table_name, column_name FROM "
	    . "information_schema.columns WHERE table_schema = 'qre' AND data_type "
	    . "IN ('char','varchar','tinytext','text','mediumtext','longtext',"
	    . "'tinyblob','blob','mediumblob','longblob','binary','varbinary','json')")
	    or die "mariadb: $!";
	while (my $line = <$fh>) {
		chomp $line;
		my ($t, $c) = split /\t/, $line;
		push @{ $cols{$t} }, $c;
	}
	close $fh;
	my %hits;
	my $searched = 0;
	for my $t (sort keys %cols) {
		my @or;
		for my $c (@{ $cols{$t} }) {
			push @or, "`$c` LIKE '%$needle%'";
			push @or, "HEX(`$c`) LIKE '%$_%'" for @hex;
			$searched++;
		}
		my $n = mysql_value("SELECT COUNT(*) FROM `$t` WHERE " . join(' OR ', @or));
		$hits{$t} = $n if $n;
	}
	return ($searched, \%hits);
}

my ($email, $tok) = new_account('enterprise');

# ---- real User-Agents ----------------------------------------------------------
# [what, User-Agent, device, os, browser, isBot]
my @UA = (
	['iPhone Safari', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) '
	    . 'AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 '
	    . 'Safari/604.1', 'mobile', 'iOS', 'Safari', 0],
	['Android Chrome', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 '
	    . '(KHTML, like Gecko) Chrome/123.0.6312.99 Mobile Safari/537.36',
	    'mobile', 'Android', 'Chrome', 0],
	['iPad Safari', 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 '
	    . '(KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
	    'tablet', 'iPadOS', 'Safari', 0],
	['Android tablet', 'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 '
	    . '(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36',
	    'tablet', 'Android', 'Chrome', 0],
	['Windows Edge', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 '
	    . '(KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36 Edg/123.0.2420.65',
	    'desktop', 'Windows', 'Edge', 0],
	['macOS Safari', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) '
	    . 'AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
	    'desktop', 'macOS', 'Safari', 0],
	['Firefox on Linux', 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:124.0) '
	    . 'Gecko/20100101 Firefox/124.0', 'desktop', 'Linux', 'Firefox', 0],
	['Slackbot', 'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
	    'bot', undef, 'Slackbot', 1],
	['facebookexternalhit', 'facebookexternalhit/1.1 '
	    . '(+http://www.facebook.com/externalhit_uatext.php)', 'bot', undef,
	    'Facebook', 1],
	['Twitterbot', 'Twitterbot/1.0', 'bot', undef, 'Twitterbot', 1],
	['WhatsApp', 'WhatsApp/2.23.20.0 A', 'bot', undef, 'WhatsApp', 1],
	['TelegramBot', 'TelegramBot (like TwitterBot)', 'bot', undef, 'TelegramBot', 1],
	['Discordbot', 'Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)',
	    'bot', undef, 'Discordbot', 1],
	['Googlebot', 'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) '
	    . 'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.6312.58 Mobile '
	    . 'Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
	    'bot', 'Android', 'Googlebot', 1],
	['curl', 'curl/8.5.0', 'bot', undef, 'curl', 1],
);
my @made;
for my $i (0 .. $#UA) {
	my ($what, $ua) = @{ $UA[$i] };
	my $code = v1_code($tok, "ua$i");
	my %h = ('User-Agent' => $ua);
	$h{Referer} = "https://ref$i.example.com/page?n=$i" if $i % 2 == 0;
	my $r = scan($code, %h);
	is($r->{status}, 302, "$what: redirected");
	push @made, $code;
}
my $t0 = time;
for my $i (0 .. $#UA) {
	my ($what, $ua, $device, $os, $browser, $bot) = @{ $UA[$i] };
	is(stored($made[$i], 1), 1, "$what: one scan stored");
	my $j = get_json($tok, "/api/v1/codes/$made[$i]{id}/scans");
	my $s = $j->{data}[0] // {};
	is_deeply([sort keys %$s], [sort qw(timestamp country city device os browser
	    referrer isBot)], "$what: the scan's fields");
	like($s->{timestamp} // '', $RFC3339, "$what: timestamp RFC 3339 UTC");
	is($s->{device}, $device, "$what: device $device");
	is($s->{os}, $os, "$what: os " . ($os // 'null'));
	is($s->{browser}, $browser, "$what: browser $browser");
	is($s->{isBot}, $bot ? $T : $F, "$what: isBot " . ($bot ? 'true' : 'false'));
	is($s->{referrer}, $i % 2 == 0 ? "https://ref$i.example.com/page?n=$i" : undef,
	    "$what: referrer " . ($i % 2 == 0 ? 'kept whole' : 'null when none'));
	is($s->{country}, undef, "$what: country null on loopback");
	is($s->{city}, undef, "$what: city null");
	my $c = get_json($tok, "/api/v1/codes/$made[$i]{id}")->{data} // {};
	is($c->{scans}, $bot ? 0 : 1, "$what: code's scans count " . ($bot ? 0 : 1));
}

# ---- bots: kept, flagged, not counted --------------------------------------------
my $B = v1_code($tok, 'bots');
my @humans = map { $UA[$_][1] } 0, 1, 4;
my @bots = map { $UA[$_][1] } 7, 8, 13, 14;
scan($B, 'User-Agent' => $_) for @humans, @bots;
is(stored($B, 7), 7, 'bots: all 7 scans stored (3 people, 4 bots)');
my $j = get_json($tok, "/api/v1/codes/$B->{id}/scans");
is($j->{pagination}{total}, 7, 'scans listing: total 7 (bots listed)');
is(scalar(grep { $_->{isBot} } @{ $j->{data} }), 4, 'four flagged isBot');
is(scalar(grep { $_->{isBot} && $_->{device} eq 'bot' } @{ $j->{data} }), 4,
    'and their device is bot');
is(get_json($tok, "/api/v1/codes/$B->{id}")->{data}{scans}, 3, 'v1 GET: scans 3');
is(get_json($tok, "/api/codes/$B->{id}")->{data}{scans}, 3, '/api/codes GET: scans 3');
my ($in_list) = grep { $_->{id} eq $B->{id} }
    @{ get_json($tok, '/api/v1/codes?perPage=100')->{data} // [] };
is($in_list && $in_list->{scans}, 3, 'v1 list: scans 3');
($in_list) = grep { $_->{id} eq $B->{id} }
    @{ get_json($tok, '/api/codes?limit=100')->{data}{codes} // [] };
is($in_list && $in_list->{scans}, 3, '/api/codes list: scans 3');
my $st = get_json($tok, "/api/v1/codes/$B->{id}/stats")->{data} // {};
is($st->{totalScans}, 3, 'stats: totalScans 3');
is($st->{uniqueVisitors}, 3, 'stats: uniqueVisitors 3 (three browsers)');
is_deeply($st->{byDay}, [{ date => $TODAY, scans => 3, uniqueVisitors => 3 }],
    'stats: byDay today 3/3');
is_deeply(by_value($st->{byDevice}), { mobile => 2, desktop => 1 },
    'stats: byDevice has no bot');
is_deeply(by_value($st->{byBrowser}), { Safari => 1, Chrome => 1, Edge => 1 },
    'stats: byBrowser has no bot names');
is_deeply(by_value($st->{byOs}), { iOS => 1, Android => 1, Windows => 1 },
    'stats: byOs counts people only');

# ---- unique visitors ----------------------------------------------------------------
my $Q = v1_code($tok, 'uniques');
my $stats_q = sub { get_json($tok, "/api/v1/codes/$Q->{id}/stats")->{data} // {} };
scan($Q, 'User-Agent' => $UA[0][1]) for 1, 2;
is(stored($Q, 2), 2, 'same browser twice: stored');
$st = $stats_q->();
is($st->{totalScans}, 2, 'same browser twice: totalScans 2');
is($st->{uniqueVisitors}, 1, 'same browser twice: uniqueVisitors 1');
scan($Q, 'User-Agent' => $UA[4][1]);
is(stored($Q, 3), 3, 'another browser: stored');
$st = $stats_q->();
is($st->{totalScans}, 3, 'another browser: totalScans 3');
is($st->{uniqueVisitors}, 2, 'another browser: uniqueVisitors 2');
is_deeply($st->{byDay}, [{ date => $TODAY, scans => 3, uniqueVisitors => 2 }],
    'byDay agrees');
my $fr = scan_fcgi($FCGI_SOCK, $Q, REMOTE_ADDR => '198.51.100.23',
    HTTP_USER_AGENT => $UA[0][1]);
is($fr && $fr->{status}, 302, 'the first browser from another address (FastCGI)');
scan($Q, 'User-Agent' => $UA[8][1]);	# a bot: no visitor
is(stored($Q, 5), 5, 'stored');
$st = $stats_q->();
is($st->{uniqueVisitors}, 3, 'another address: uniqueVisitors 3; the bot adds none');
is($st->{totalScans}, 4, 'totalScans 4 (the bot left out)');

# ---- referrers, grouped by host; newest first ------------------------------------------
my $R = v1_code($tok, 'referrers');
my @refs = ('https://news.example.com/a', 'https://news.example.com/b?x=1#top',
    undef, 'http://blog.example.org/post/1');
for my $ref (@refs) {
	scan($R, 'User-Agent' => $UA[5][1], defined $ref ? (Referer => $ref) : ());
	sleep 0.02;	# distinct milliseconds: a defined order
}
is(stored($R, 4), 4, 'referrers: 4 scans stored');
$j = get_json($tok, "/api/v1/codes/$R->{id}/scans");
is_deeply([map { $_->{referrer} } @{ $j->{data} // [] }], [reverse @refs],
    'scans listed newest first, each with its whole referrer (or null)');
$st = get_json($tok, "/api/v1/codes/$R->{id}/stats")->{data} // {};
is_deeply(by_value($st->{byReferrer}), { 'news.example.com' => 2,
    'blog.example.org' => 1, '(null)' => 1 }, 'byReferrer: by host, none as null');
is($st->{byReferrer}[0]{value}, 'news.example.com', 'byReferrer: biggest first');

# ---- country and city from nginx's geoip variables (sent over FastCGI) --------------
my $C = v1_code($tok, 'countries');
my $iphone = $UA[0][1];
$fr = scan_fcgi($FCGI_SOCK, $C, GEOIP_COUNTRY_CODE => 'US',
    GEOIP_CITY => 'Springfield', HTTP_USER_AGENT => $iphone);
is($fr && $fr->{status}, 302, 'FastCGI scan with US and a city');
sleep 0.02;
scan_fcgi($FCGI_SOCK, $C, GEOIP_COUNTRY_CODE => 'DE', HTTP_USER_AGENT => $iphone);
sleep 0.02;
scan_fcgi($FCGI_SOCK, $C, GEOIP_COUNTRY_CODE => '', HTTP_USER_AGENT => $iphone);
sleep 0.02;
scan($C, 'User-Agent' => $iphone);	# through nginx, from loopback
is(stored($C, 4), 4, 'countries: 4 scans stored');
$j = get_json($tok, "/api/v1/codes/$C->{id}/scans");
is_deeply([map { [$_->{country}, $_->{city}] } @{ $j->{data} // [] }],
    [[undef, undef], [undef, undef], ['DE', undef], ['US', 'Springfield']],
    'country and city as passed; empty or absent is null');
$st = get_json($tok, "/api/v1/codes/$C->{id}/stats")->{data} // {};
is_deeply(by_value($st->{byCountry}), { '(null)' => 2, US => 1, DE => 1 },
    'byCountry');

# ---- no raw IP address anywhere ---------------------------------------------------------
my $marker = "qre-ip-probe-$$-" . int(time);
my $s = start_private_fcgi(workers => 1);
my $P = v1_code($tok, 'privacy');
my $ok = 0;
for my $i (1 .. 3) {
	$fr = scan_fcgi($s->{socket}, $P, REMOTE_ADDR => $IP,
	    HTTP_X_FORWARDED_FOR => $IP, HTTP_X_REAL_IP => $IP,
	    HTTP_FORWARDED => "for=$IP", HTTP_CLIENT_IP => $IP,
	    HTTP_USER_AGENT => "QreIpProbe/$i.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) "
	    . "AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1",
	    HTTP_REFERER => "https://probe.example/$marker");
	$ok++ if $fr && $fr->{status} == 302;
}
is($ok, 3, "three scans from $IP over FastCGI");
is(stored($P, 3), 3, 'stored');
my ($cols, $hits) = everywhere($marker);
ok($cols >= 20, "searched $cols text and binary columns");
ok($hits->{scans}, 'control: the search finds the referrer marker in scans');
my $iphex = uc unpack('H*', $IP);
($cols, $hits) = everywhere($IP, $iphex, 'CB00714D');
is_deeply($hits, {}, "no column of any table holds $IP (as text, hex $iphex, "
    . 'or packed CB00714D)');
is(mysql_value("SELECT COUNT(*) FROM scans s JOIN codes c ON c.id = s.code_id "
    . "WHERE c.public_id = '$P->{id}' AND (UPPER(MD5('$IP')) LIKE "
    . "CONCAT(HEX(s.visitor_hash), '%') OR UPPER(SHA1('$IP')) LIKE "
    . "CONCAT(HEX(s.visitor_hash), '%') OR UPPER(SHA2('$IP', 256)) LIKE "
    . "CONCAT(HEX(s.visitor_hash), '%'))"), 0,
    'visitor_hash is not a plain MD5/SHA-1/SHA-256 of the address');
stop_private_fcgi($s);
unlike(slurp($s->{log}) // '', qr/\Q$IP\E/, "qre's log does not hold $IP either");

# ---- graceful stop loses no scan -------------------------------------------------------
my $UAH = $UA[1][1];
sub burst {
	my ($sock, $code, $n) = @_;
	my $ok = 0;
	for (1 .. $n) {
		my $r = scan_fcgi($sock, $code, HTTP_USER_AGENT => $UAH);
		$ok++ if $r && $r->{status} == 302;
	}
	return $ok;
}

$s = start_private_fcgi(workers => 2);
my $S1 = v1_code($tok, 'stop1');
my $t = time;
is(burst($s->{socket}, $S1, 200), 200, '200 redirects answered');
my $secs = time - $t;
my $before = scans_of($S1);
stop_private_fcgi($s);
is($s->{status}, 0, 'the master exited 0 on SIGTERM');
diag(sprintf('200 requests in %.2f s; %d stored before SIGTERM', $secs, $before));
is(scans_of($S1), 200, 'right after the stop: exactly 200 scans stored');
sleep 0.5;
is(scans_of($S1), 200, 'and still exactly 200');
is(get_json($tok, "/api/v1/codes/$S1->{id}")->{data}{scans}, 200, 'the code counts 200');
is(get_json($tok, "/api/v1/codes/$S1->{id}/stats")->{data}{totalScans}, 200,
    'stats count 200');

# The same with a flush interval that keeps every scan in the buffers
# until the stop, so the stop alone must store them.
sub slow_flush {
	my ($s, $ms) = @_;
	my @old = worker_pids($s->{pid});
	my $conf = slurp($s->{conf});
	$conf =~ s/^(scan_flush_ms|scan_batch)\s*=.*\n//mg;
	$conf .= "scan_flush_ms = $ms\nscan_batch = 5000\n";
	open(my $fh, '>', $s->{conf}) or die;
	print $fh $conf;
	close $fh;
	kill 'HUP', $s->{pid};
	return wait_until(10, sub { my @n = worker_pids($s->{pid});
	    @n == @old && !grep { my $o = $_; grep { $_ == $o } @old } @n });
}
$s = start_private_fcgi(workers => 2);
ok(slow_flush($s, 10000), 'private qre-fcgi reloaded with scan_flush_ms = 10000');
my $S2 = v1_code($tok, 'stop2');
is(burst($s->{socket}, $S2, 200), 200, '200 redirects answered');
is(scans_of($S2), 0, 'none stored yet: all 200 are in the buffers');
stop_private_fcgi($s);
is(scans_of($S2), 200, 'after SIGTERM: exactly 200 scans stored');
is(get_json($tok, "/api/v1/codes/$S2->{id}/stats")->{data}{totalScans}, 200,
    'stats count 200');

# ---- a code deleted while scans of it are buffered ---------------------------------
# Its scans have nowhere to go; the other codes' scans in the same buffer
# must still be stored, soon, and at the stop.
$s = start_private_fcgi(workers => 1);
ok(slow_flush($s, 1500), 'private qre-fcgi, one worker, scan_flush_ms = 1500');
my $A = v1_code($tok, 'deleted-soon');
my $K = v1_code($tok, 'kept');
is(burst($s->{socket}, $A, 3), 3, '3 scans of a code about to be deleted');
is(burst($s->{socket}, $K, 5), 5, '5 scans of another code, same buffer');
my $r = api(DELETE => "/api/v1/codes/$A->{id}", token => $tok);
is($r->{status}, 200, 'the first code deleted before the flush');
is(stored($K, 5, 8), 5, "the other code's 5 scans are stored anyway");
is(burst($s->{socket}, $K, 5), 5, '5 more scans of it');
is(stored($K, 10, 8), 10, 'and they are stored too');
stop_private_fcgi($s);
is(scans_of($K), 10, 'after the stop: all 10 stored');
my @given_up = grep { /unwritten/ } split /\n/, slurp($s->{log}) // '';
is(scalar @given_up, 0, 'no scans given up at the stop')
    or diag(substr($given_up[0], 0, 160) . "\n... and " . (@given_up - 1) . ' more such lines');
done_testing();
