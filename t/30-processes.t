# The pre-fork master, on a private qre-fcgi of this test's own: respawn
# after kill -9 (with back-off), graceful stop finishing the request in
# hand, SIGHUP reload with the new config, bad config refused, no orphans.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Time::HiRes qw(sleep time);
use Qre;
use FCGIClient;

my $tok = env('QRE_TOKEN');

sub healthz {
	my ($s) = @_;
	my $r = FCGIClient::request($s->{socket}, uri => '/healthz');
	return $r && $r->{status};
}

my $s = start_private_fcgi(workers => 3);
my @w = worker_pids($s->{pid});
is(scalar @w, 3, 'three workers');
is(healthz($s), 200, 'answers over FastCGI');
my $r = FCGIClient::request($s->{socket}, uri => '/api/tokens', token => $tok);
is($r->{status}, 200, 'authenticated request');
like($r->{body}, qr/"tokens":\[/, 'body is the listing');

# A second master on the same socket refuses to start (libfcgi would
# otherwise unlink the live socket from under the first).
my $second = `@{[env('QRE_BUILD_DIR')]}/qre-fcgi -c $s->{conf} 2>&1`;
isnt($? >> 8, 0, 'second master on the same socket: non-zero exit');
like($second, qr/another qre-fcgi is listening there/, 'and says why');
is(healthz($s), 200, 'the first still answers');

# kill -9 a worker: the master starts another; service goes on.
kill 'KILL', $w[0];
ok(wait_until(5, sub { my @n = worker_pids($s->{pid});
    @n == 3 && !grep { $_ == $w[0] } @n }), 'killed worker replaced');
my $good = grep { (healthz($s) // 0) == 200 } 1 .. 20;
is($good, 20, 'all requests answered after the kill');
like(slurp($s->{log}), qr/worker $w[0] killed by signal 9; respawning/, 'logged');

# Graceful stop: a request whose body is still arriving when SIGTERM
# comes is finished, then everything exits.
my $name = sprintf('"g%09d"}', $$ % 1e9);
my $sock = FCGIClient::connect($s->{socket});
FCGIClient::begin($sock, method => 'POST', uri => '/api/tokens', token => $tok,
    body => '{"name":', more => length $name);
sleep 0.3;
my @before = worker_pids($s->{pid});
kill 'TERM', $s->{pid};
sleep 0.5;
ok(kill(0, $s->{pid}), 'master waits for the busy worker');
FCGIClient::finish($sock, $name);
$r = FCGIClient::response($sock);
ok($r, 'the request in hand got its answer');
is($r && $r->{status}, 201, 'and it was carried out (201)');
ok(wait_until(10, sub { !kill(0, $s->{pid}) || waitpid($s->{pid}, 1) == $s->{pid} }),
    'master exited');
ok(!grep({ kill 0, $_ } @before), 'no worker left behind');
ok(!-e $s->{socket}, 'socket removed');
ok(!-e $s->{pidfile}, 'pid file removed');
delete $s->{pid};
(my $tname = $name) =~ s/["}]//g;
is(mysql_value("SELECT COUNT(*) FROM tokens WHERE name = '$tname'"), 1,
    'the token made during shutdown exists');

# SIGHUP: new workers with the new config; the old ones finish and go.
$s = start_private_fcgi(workers => 2);
@w = worker_pids($s->{pid});
my $conf = slurp($s->{conf});
$conf =~ s/^workers = 2$/workers = 4/m;
open(my $fh, '>', $s->{conf}) or die;
print $fh $conf;
close $fh;
kill 'HUP', $s->{pid};
ok(wait_until(5, sub { my @n = worker_pids($s->{pid});
    @n == 4 && !grep { my $o = $_; grep { $_ == $o } @w } @n }),
    'reload: four new workers, old ones gone');
is(healthz($s), 200, 'answers after reload');

# A bad config on reload is refused; the running one stays.
@w = worker_pids($s->{pid});
open($fh, '>>', $s->{conf}) or die;
print $fh "workers = lots\n";
close $fh;
kill 'HUP', $s->{pid};
sleep 0.5;
is_deeply([worker_pids($s->{pid})], \@w, 'bad reload: same workers');
like(slurp($s->{log}), qr/qre\.conf:\d+: workers: 'lots' is not a number; keeping/,
    'bad reload logged with file, line and key');
is(healthz($s), 200, 'still answering');

# Master killed with SIGKILL: workers follow it (PR_SET_PDEATHSIG).
@w = worker_pids($s->{pid});
kill 'KILL', $s->{pid};
waitpid($s->{pid}, 0);
delete $s->{pid};
ok(wait_until(5, sub { !grep { kill 0, $_ } @w }), 'no orphans after master SIGKILL');

# Start-up with a bad config stops with file, line and key.
my $dir = $s->{dir};
open($fh, '>', "$dir/bad.conf") or die;
print $fh "# ok\nlisten = $dir/x.sock\ndb_port = 99999\n";
close $fh;
my $bin = env('QRE_BUILD_DIR') . '/qre-fcgi';
my $out = `$bin -c $dir/bad.conf 2>&1`;
isnt($? >> 8, 0, 'bad config: non-zero exit');
like($out, qr{\Q$dir\E/bad\.conf:3: db_port: 99999 is outside 1\.\.65535}, 'message');
$out = `$bin -t -c $dir/bad.conf 2>&1`;
isnt($? >> 8, 0, '-t also refuses it');

# Workers that crash in a loop (SIGSEGV here) are respawned with a
# back-off; a worker killed from outside (kill -9) is replaced at once,
# however often it happens.
open($fh, '>', "$dir/loop.conf") or die;
print $fh slurp(env('QRE_CONFIG')) =~ s/^(listen|pid_file|workers)\s*=.*\n//mgr
    . "listen = $dir/loop.sock\nworkers = 1\n";
close $fh;
my $pid = fork // die;
if ($pid == 0) {
	open(STDERR, '>', "$dir/loop.log");
	exec($bin, '-c', "$dir/loop.conf");
}
wait_until(5, sub { worker_pids($pid) == 1 });
my $t0 = time;
my $kills = 0;
while (time - $t0 < 3) {
	my ($w) = worker_pids($pid);
	if ($w) { kill 'SEGV', $w; $kills++; }
	sleep 0.02;
}
my @delays = slurp("$dir/loop.log") =~ /respawning in (\d+) ms/g;
ok(@delays >= 3, 'several quick deaths (' . scalar(@delays) . ')');
ok($delays[-1] >= 400, "back-off grew to $delays[-1] ms");
ok($kills < 40, "respawns were slowed down ($kills in 3 s)");

# kill -9 from outside, every 50 ms on a worker younger than the quick-
# death window: each is replaced at once.
wait_until(15, sub { worker_pids($pid) == 1 });
my $log_before = length(slurp("$dir/loop.log") // '');
my ($killed9, @gaps) = (0);
for (1 .. 20) {
	my ($w) = worker_pids($pid);
	next unless $w;
	kill 'KILL', $w;
	$killed9++;
	my $t = time;
	wait_until(2, sub { my ($n) = worker_pids($pid); $n && $n != $w });
	push @gaps, time - $t;
	sleep 0.05;
}
kill 'TERM', $pid;
waitpid($pid, 0);
my @after = substr(slurp("$dir/loop.log"), $log_before) =~
    /killed by signal 9; respawning in (\d+) ms/g;
is($killed9, 20, 'twenty workers killed with SIGKILL');
is(scalar(@after), 20, '... each logged');
is((grep { $_ != 0 } @after), 0, '... each respawned with no delay');
my ($slowest) = sort { $b <=> $a } @gaps;
cmp_ok($slowest, '<', 1, sprintf('... the slowest replacement took %.3f s', $slowest));
done_testing();
