# The webhook cap (25 endpoints an account) holds under parallel creates:
# the count and the insert happen under a lock on the account row, as the
# code and token limits do.  Before, the count came first and the insert
# separately, so creates racing at the cap could all pass it.
#
# Each round starts 2 short of the cap and sends 20 creates at once, each
# on its own connection straight to a private qre-fcgi with 10 workers
# (the stack's 2 workers seldom meet inside the window): exactly 2 must be
# 201, the others 403 plan_limit_reached, and 25 stored.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use POSIX qw(_exit);
use Time::HiRes ();
use Qre;
use FCGIClient;

my $CAP = 25;
my $PARALLEL = 20;
my $ROOM = 2;
my $ROUNDS = 6;
my $WORKERS = 10;
my $WH = '/api/v1/webhooks';

my ($email, $tok) = new_account('enterprise');
my $account = mysql_value("SELECT id FROM accounts WHERE email = '$email'");

sub stored {
	return mysql_value("SELECT COUNT(*) FROM webhooks WHERE account_id = $account");
}

sub create {
	my ($n) = @_;
	return api(POST => $WH, token => $tok, body => {
	    url => "http://127.0.0.1:9/cap/$n", events => ['code.created'] });
}

sub ids {
	my $r = api(GET => $WH, token => $tok);
	die "list: $r->{status}\n" unless $r->{status} == 200;
	return map { $_->{id} } @{ $r->{json}{data} };
}

# Down (or up) to $n endpoints.
sub keep {
	my ($n) = @_;
	my @ids = ids();
	api(DELETE => "$WH/$_", token => $tok) for @ids[$n .. $#ids];
	create("fill$_") for scalar(@ids) .. $n - 1;
	return stored();
}

# Sequentially first: the 26th is refused, naming the limit.
is(keep($CAP), $CAP, "$CAP endpoints made one by one");
my $r = create("more");
is($r->{status}, 403, "the 26th: 403");
is($r->{json}{error}{code}, 'plan_limit_reached', 'plan_limit_reached');
like($r->{json}{error}{message} // '', qr/\b25\b.*webhooks/, 'the message names the limit');
is(stored(), $CAP, "still $CAP stored");

my $fcgi = start_private_fcgi(workers => $WORKERS);
END { stop_private_fcgi($fcgi) if $fcgi }

for my $round (1 .. $ROUNDS) {
	my $start = $CAP - $ROOM;
	is(keep($start), $start, "round $round: $start endpoints");
	my (@kids, %status);
	pipe(my $gate_r, my $gate_w) or die "pipe: $!";
	for my $i (1 .. $PARALLEL) {
		my $pid = fork // die "fork: $!";
		if ($pid == 0) {
			close $gate_w;
			my $sock = FCGIClient::connect($fcgi->{socket}) or _exit(3);
			FCGIClient::begin($sock, method => 'POST', uri => $WH,
			    token => $tok, body => json()->encode({ url =>
			    "http://127.0.0.1:9/cap/race$round-$i",
			    events => ['code.created'] }));
			my $go = <$gate_r>;
			FCGIClient::finish($sock);
			my $res = FCGIClient::response($sock) // { status => 0 };
			my $j = decode_json_safe($res->{body});
			my $code = $j && $j->{error} ? $j->{error}{code} // '' : '';
			_exit($res->{status} == 201 ? 0 :
			    $res->{status} == 403 && $code eq 'plan_limit_reached' ? 1 : 2);
		}
		push @kids, $pid;
	}
	close $gate_r;
	Time::HiRes::sleep(0.2);	# let them all reach the gate
	close $gate_w;
	for my $pid (@kids) {
		waitpid($pid, 0);
		$status{ $? >> 8 }++;
	}
	is($status{0} // 0, $CAP - $start, "round $round: exactly "
	    . ($CAP - $start) . " creates succeeded (201)");
	is($status{1} // 0, $PARALLEL - ($CAP - $start),
	    "round $round: the others got 403 plan_limit_reached");
	is($status{2} // 0, 0, "round $round: no other answer");
	is(stored(), $CAP, "round $round: exactly $CAP stored");
	is(scalar(my @l = ids()), $CAP, "round $round: $CAP listed");
}

api(DELETE => "$WH/$_", token => $tok) for ids();
is(stored(), 0, 'the endpoints are deleted');

done_testing();
