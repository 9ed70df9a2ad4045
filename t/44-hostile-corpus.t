# The hostile corpus (t/lib/Hostile.pm) against the running stack: well
# over 800 distinct requests no correct client sends, over every route of
# both API surfaces, the public short-code path and /healthz.  Each one
# must be answered with a 4xx and the JSON error envelope (a 4xx page on
# the short-code path); around the whole run, the same qre-fcgi workers
# must be serving, none may have died, and no stored row may have changed
# (CHECKSUM TABLE of every table).  Requests go over the loopback HTTP
# listener as raw bytes, a few over HTTPS.
#
# Cases marked "todo" are bugs this corpus found that are not fixed yet:
# they run after the checks above, as TODO tests.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Qre;
use Hostile qw(setup teardown cases verdict db_settle db_state db_diff send_http
    send_https describe);

my $ctx = setup();
my @all = cases($ctx);
my @run = grep { !$_->{fcgi_only} && !$_->{todo} } @all;
# The known bug's cases last: until its fix is merged they kill workers.
@run = ((grep { !$_->{known} } @run), (grep { $_->{known} } @run));
my @todo = grep { !$_->{fcgi_only} && $_->{todo} } @all;

my %seen;
my @dups = grep { $seen{ join "\0", map { $_ // '' } $_->{method}, $_->{target},
    $_->{body}, map { @$_ } @{ $_->{headers} } }++ } @run;
is(scalar @dups, 0, 'no request is in the corpus twice')
    or diag(join "\n", map { "$_->{group}: $_->{name}" } grep { defined } @dups[0 .. 9]);
my %groups;
$groups{ $_->{group} }++ for @run;
cmp_ok(scalar @run, '>=', 800, scalar(@run) . ' distinct requests ('
    . join(', ', map { "$_ $groups{$_}" } sort keys %groups) . ')');

my $http = env('QRE_HTTP_URL');
my $https = env('QRE_BASE_URL');
my $log = env('QRE_VAR') . '/log/qre-fcgi.log';
my $before = db_settle($ctx);
my $master = master_pid();
my @workers = worker_pids($master);
my $log_at = -s $log // 0;

my $failed = 0;
for my $c (@run) {
	my $res = $c->{https} ? send_https($c, $https) : send_http($c, $http);
	my $why = verdict($c, $res);
	my $name = "$c->{group}: $c->{name}";
	$name .= " [$c->{known}]" if $c->{known} && defined $why;
	ok(!defined $why, $name) or do {
		$failed++;
		diag("$why\n" . describe($c, $res));
	};
}

is(master_pid(), $master, 'the same master');
is_deeply([worker_pids($master)], \@workers,
    'the same workers serve: none died (' . join(' ', @workers) . ')');
my $fh;
my @deaths;
if (open($fh, '<', $log)) {
	seek($fh, $log_at, 0);
	@deaths = grep { /worker \d+ .*respawning|AddressSanitizer|runtime error|signal/ } <$fh>;
}
is(scalar @deaths, 0, 'no worker death in qre-fcgi.log') or diag(join '', @deaths[0 .. 9]);
my $after = db_state($ctx);
my @changed = db_diff($before, $after);
is(scalar @changed, 0, 'every table unchanged (CHECKSUM TABLE)')
    or diag('changed: ' . join(', ', @changed));

# Found by the corpus, not fixed yet: visible, not failing the suite.
TODO: {
	for my $c (@todo) {
		local $TODO = $c->{todo};
		my $res = $c->{https} ? send_https($c, $https) : send_http($c, $http);
		my $why = verdict($c, $res);
		ok(!defined $why, "$c->{group}: $c->{name}")
		    or diag("$why\n" . describe($c, $res));
	}
}
teardown($ctx);
is(mysql_value("SELECT COUNT(*) FROM accounts WHERE id IN ($ctx->{account}, "
    . "$ctx->{other_account})"), 0, 'the corpus\'s accounts are gone');
done_testing();
