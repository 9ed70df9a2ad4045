# No scan is lost (issue 10, item 5): every scan is on disk in the
# worker's spool file before its redirect is answered, so
#   1. kill -9 of a worker every second under redirect load, and
#   2. MariaDB stopped for 60 seconds under redirect load
# both end with exactly the answered scans stored.  While the database
# is down, redirects a worker has seen are still answered and API calls
# get 503 JSON.  Scans are counted against nginx's log: every 302 must
# be stored, and nothing beyond the requests that reached qre (302s, and
# 499s/502s whose client or worker went away after the scan was kept).
# Runs near the end: it stops the stack's MariaDB.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(sleep time);
use HTTP::Tiny;
use Qre;

# scripts/stack installs wrk.
system('sh', '-c', 'command -v wrk >/dev/null') == 0 or BAIL_OUT('wrk is missing');

my $stack = env('QRE_VAR') . '/../scripts/stack';
my $log = env('QRE_VAR') . '/log/nginx-loopback.log';
my $spool = env('QRE_VAR') . '/state/spool';
my $http = env('QRE_HTTP_URL');
my $tok = env('QRE_TOKEN');
END { system("$stack db-start >/dev/null 2>&1") }

sub code {
	my $r = api(POST => '/api/v1/codes', token => $tok,
	    body => { type => 'url', payload => { url => 'https://example.com/spool' } });
	my $id = mysql_value("SELECT id FROM codes WHERE public_id = '$r->{json}{data}{id}'");
	return ($r->{json}{data}{shortCode}, $id);
}

sub log_lines { my $n = `wc -l < $log`; chomp $n; return $n + 0 }

# 302s, 499s and 502s nginx logged for /sc after line $from.
sub answered {
	my ($sc, $from) = @_;
	sleep 1.5;	# nginx flushes its log buffer every second
	my %n = (302 => 0, 499 => 0, 502 => 0, 504 => 0);
	open(my $fh, '<', $log) or die "$log: $!";
	my $i = 0;
	while (<$fh>) {
		next if ++$i <= $from;
		$n{$1}++ if m{"GET /\Q$sc\E" (\d{3}) } && exists $n{$1};
	}
	return \%n;
}

sub stored { mysql_value("SELECT COUNT(*) FROM scans WHERE code_id = $_[0]") // -1 }

# Wait until the scans of a code stop changing.
sub settle {
	my ($id, $timeout) = @_;
	my ($prev, $now) = (-2, -1);
	my $end = time + $timeout;
	while (time < $end) {
		$now = stored($id);
		last if $now == $prev && $now >= 0;
		$prev = $now;
		sleep 1;
	}
	return $now;
}

sub wrk {
	my ($sc, $secs, $out) = @_;
	my $pid = fork // die;
	if ($pid == 0) {
		open(STDOUT, '>', $out);
		open(STDERR, '>&', \*STDOUT);
		exec('wrk', '-t2', '-c16', "-d${secs}s", "$http/$sc");
		exit 127;
	}
	return $pid;
}

# 1. kill -9 a worker every second under load.
{
	my ($sc, $id) = code();
	my $from = log_lines();
	my $master = master_pid();
	my $w = wrk($sc, 12, "/tmp/qre-t93-kill-$$.txt");
	my $kills = 0;
	for (1 .. 10) {
		sleep 1;
		my @pids = worker_pids($master);
		next unless @pids;
		kill 'KILL', $pids[$kills % @pids];
		$kills++;
	}
	waitpid($w, 0);
	# Stored first, then nginx's log: it is read once nothing moves.
	my $got = settle($id, 60);
	my $n = answered($sc, $from);
	cmp_ok($kills, '>=', 8, "$kills workers killed with SIGKILL under load");
	cmp_ok($n->{302}, '>', 1000, "$n->{302} redirects answered meanwhile");
	cmp_ok($got, '>=', $n->{302}, "every answered scan is stored ($got stored, $n->{302} 302s)");
	cmp_ok($got, '<=', $n->{302} + $n->{499} + $n->{502} + $n->{504},
	    "none stored twice (at most 302s + $n->{499} 499s + $n->{502} 502s + $n->{504} 504s)");
	is(mysql_value("SELECT scans FROM codes WHERE id = $id"),
	    mysql_value("SELECT COUNT(*) FROM scans WHERE code_id = $id AND is_bot = 0"),
	    'codes.scans agrees with the rows (people, not bots)');
	is(mysql_value("SELECT SUM(scans) FROM scan_daily WHERE code_id = $id AND dim = 'all'"),
	    $got, 'the daily rollup agrees too');
	unlink "/tmp/qre-t93-kill-$$.txt";
}

# 2. MariaDB down for 60 s under load.
{
	my ($sc, $id) = code();
	# Every worker has the code in its cache before the database goes.
	api(GET => "/$sc") for 1 .. 20;
	ok(settle($id, 20) >= 20, 'the warm-up scans are stored');
	my $base = stored($id);
	my $from = log_lines();
	my $out = "/tmp/qre-t93-down-$$.txt";
	my $w = wrk($sc, 70, $out);
	sleep 4;
	my $t0 = time;
	system("$stack db-stop >/dev/null") == 0 or BAIL_OUT('db-stop failed');
	my ($during, $api);
	sleep 5;
	$during = HTTP::Tiny->new(max_redirect => 0, timeout => 10)->get("$http/$sc");
	$api = api(GET => '/api/tokens', token => $tok);
	is($during->{status}, 302, 'while the database is down: the redirect is answered')
	    or diag("$during->{status}: " . substr($during->{content} // '', 0, 300));
	is($api->{status}, 503, '... an API call gets 503');
	is($api->{json}{error}{code}, 'service_unavailable', '... as JSON');
	like($api->{headers}{'retry-after'} // '', qr/^\d+$/, '... with Retry-After');
	my $held = 0;
	$held += -s $_ for glob("$spool/*.spool");
	cmp_ok($held, '>', 0, "the spool holds the scans meanwhile ($held bytes)");
	sleep(60 - (time - $t0));
	system("$stack db-start >/dev/null") == 0 or BAIL_OUT('db-start failed');
	note(sprintf('the database was down %.1f s', time - $t0));
	waitpid($w, 0);
	my $got = settle($id, 180) - $base;
	my $n = answered($sc, $from);
	cmp_ok($n->{302}, '>', 10000, "$n->{302} redirects answered over the 70 s");
	cmp_ok($got, '>=', $n->{302}, "0 lost: $got stored for $n->{302} 302s");
	cmp_ok($got, '<=', $n->{302} + $n->{499} + $n->{502} + $n->{504}, '... none twice');
	is(mysql_value("SELECT scans FROM codes WHERE id = $id"),
	    mysql_value("SELECT COUNT(*) FROM scans WHERE code_id = $id AND is_bot = 0"),
	    'codes.scans agrees with the rows');
	ok(wait_until(30, sub { !glob("$spool/scans-*.spool") ||
	    mysql_value('SELECT COUNT(*) FROM scan_spools') <= scalar(() = glob("$spool/*.spool")) }),
	    'spent spool files are removed');
	my $text = slurp($out) // '';
	unlink $out;
	note($text =~ /(Requests\/sec:\s+\S+)/ ? $1 : 'no wrk summary');
}
done_testing();
