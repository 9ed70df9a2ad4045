# The database stops during traffic: answers are 503 JSON with
# Retry-After (never a 502 or 500, never a dead worker), and service
# comes back by itself when the database does.  Runs last: it stops the
# stack's MariaDB.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(sleep time);
use Qre;

# The stack the env file describes (its var/ sits in its checkout).
my $stack = env('QRE_VAR') . '/../scripts/stack';
my $tok = env('QRE_TOKEN');
my $master = master_pid();
my @workers = worker_pids($master);
ok(@workers >= 1, 'workers running');

END { system("$stack db-start >/dev/null 2>&1") if $? || 1 }

is(api(GET => '/api/tokens', token => $tok)->{status}, 200, 'up before');

# Traffic from a second process through the whole stop and start.
my $log = "/tmp/qre-outage-$$.log";
my $stopfile = "$log.stop";
my $child = fork // die;
if ($child == 0) {
	open(my $fh, '>', $log) or exit 1;
	$fh->autoflush(1);
	while (!-e $stopfile) {
		my $r = api(GET => '/api/tokens', token => $tok);
		my $json = $r->{json} ? 'json' : 'nojson';
		print $fh "$r->{status} $json\n";
		sleep 0.01;
	}
	exit 0;
}
sleep 0.5;
system("$stack db-stop >/dev/null") == 0 or BAIL_OUT('db-stop failed');

my (%seen, $sample, $health);
for (1 .. 30) {
	my $r = api(GET => '/api/tokens', token => $tok);
	$seen{$r->{status}}++;
	$sample //= $r if $r->{status} == 503;
}
$health = api(GET => '/healthz');
is_deeply([keys %seen], [503], 'every request while down: 503');
is($sample->{json}{error}{code}, 'service_unavailable', '503 code');
ok($sample->{headers}{'retry-after'} =~ /^\d+$/, 'Retry-After: '
    . ($sample->{headers}{'retry-after'} // 'none'));
is($health->{status}, 503, 'healthz reports the database down');
like($health->{json}{error}{message}, qr/database/i, 'healthz says why');
is_deeply([worker_pids($master)], \@workers, 'same workers: none died');

system("$stack db-start >/dev/null") == 0 or BAIL_OUT('db-start failed');
my $t0 = time;
ok(wait_until(10, sub { api(GET => '/api/tokens', token => $tok)->{status} == 200 }),
    'service back by itself');
diag(sprintf('back %.2f s after the database', time - $t0));
# A refused local socket is retried on every request: once one request
# succeeds, every worker's next one does too.
my $good = grep { api(GET => '/api/tokens', token => $tok)->{status} == 200 } 1 .. 20;
is($good, 20, 'every request after the restart: 200');
is(api(GET => '/healthz')->{status}, 200, 'healthz 200 again');

open(my $fh, '>', $stopfile) or die;
close $fh;
waitpid($child, 0);
my %traffic;
$traffic{$_}++ for split /\n/, slurp($log);
unlink $log, $stopfile;
diag(join(', ', map { "$_: $traffic{$_}" } sort keys %traffic));
ok(($traffic{'200 json'} // 0) > 10, 'background traffic got 200s');
ok(($traffic{'503 json'} // 0) > 5, 'and 503s while the database was down');
is(scalar(grep { !/^(200|503) json$/ } keys %traffic), 0,
    'nothing but 200 and 503, always JSON');
is_deeply([worker_pids($master)], \@workers, 'still the same workers');
done_testing();
