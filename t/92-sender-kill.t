# kill -9 of qre-webhooks, again and again, while it delivers to a fast
# and a slow receiver (issue 10, item 6): no event is lost, and no
# delivery a receiver acknowledged is sent again.
#
# "Acknowledged" is judged the way TCP lets a receiver judge it: its 200
# was written while the sender was there to read it.  After each answer
# the receiver waits on the connection: a reset means the sender died
# with the answer unread (not acknowledged, so it must come again); the
# next request on the connection, or 1.5 s of the sender holding it
# open, mean the sender had it and lived on: an acknowledgement.  A
# close right after the answer is the sender killed after reading it,
# before or after the one statement that records it: the window qre(7)
# states, counted as answered (not lost) but not as a sure ack.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use Errno qw(ECONNRESET EPIPE);
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::INET;
use Socket qw(MSG_PEEK);
use JSON::PP;
use POSIX qw(_exit WNOHANG);
use Time::HiRes qw(sleep time);
use Qre;

my $dir = tempdir(CLEANUP => 1);
my $JSON = JSON::PP->new->canonical;

# A receiver: answers 200 after $delay seconds; logs "got ID" on arrival
# and "ack ID" or "nak ID" once the answer's fate is known.
sub receiver {
	my ($name, $delay) = @_;
	my $srv = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0,
	    Listen => 64, ReuseAddr => 1, Proto => 'tcp') or die "listen: $!";
	my $log = "$dir/$name.log";
	my $port = $srv->sockport;
	my $pid = fork // die;
	if ($pid == 0) {
		$SIG{CHLD} = 'IGNORE';
		while (my $c = $srv->accept) {
			my $k = fork;
			if (defined $k && $k == 0) { serve($c, $log, $delay); _exit(0); }
			close $c;
		}
		_exit(0);
	}
	close $srv;
	return { name => $name, pid => $pid, log => $log,
	    url => "http://127.0.0.1:$port/$name" };
}

sub note_line {
	my ($log, $line) = @_;
	open(my $fh, '>>', $log) or return;
	syswrite($fh, "$line\n");
	close $fh;
}

# One connection: requests one after the other (curl keeps it alive).
sub serve {
	my ($c, $log, $delay) = @_;
	my $buf = '';
	my $sel = IO::Select->new($c);
	my $pending;		# the id whose answer's fate is not known yet
	for (;;) {
		# Wait for the next request (or learn the last answer's fate).
		my $n;
		if ($sel->can_read($pending ? 1.5 : 30)) {
			$n = sysread($c, $buf, 65536, length $buf);
		} elsif ($pending) {
			note_line($log, "ack $pending");	# still connected
			$pending = undef;
			next;
		} else {
			return;
		}
		if (!defined $n) {
			note_line($log, "nak $pending") if $pending;	# reset
			return;
		}
		if ($n == 0) {
			# Closed after reading: killed, before or after recording
			# the answer (the window qre(7) states); not a sure ack.
			note_line($log, "fin $pending") if $pending;
			return;
		}
		if ($pending) { note_line($log, "ack $pending"); $pending = undef; }
		my $end = index($buf, "\r\n\r\n");
		next if $end < 0;
		my ($len) = substr($buf, 0, $end) =~ /content-length:\s*(\d+)/i;
		$len //= 0;
		next if length($buf) < $end + 4 + $len;
		my ($id) = substr($buf, 0, $end) =~ /^webhook-id:\s*(\S+)/mi;
		$buf = substr($buf, $end + 4 + $len);
		$id //= '?';
		note_line($log, "got $id");
		sleep $delay if $delay;
		# The sender went away while we were busy: no answer can reach it.
		if ($sel->can_read(0)) {
			my $peek = '';
			my $r = recv($c, $peek, 1, MSG_PEEK);
			if (!defined $r || length($peek) == 0) {
				note_line($log, "nak $id");
				return;
			}
		}
		my $ok = syswrite($c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
		    . "Content-Length: 2\r\n\r\nok");
		if (!$ok) { note_line($log, "nak $id"); return; }
		$pending = $id;
	}
}

# (requests, ids received and answered, ids resent after a sure ack,
# answers whose fate fell in the sender's stated window)
sub read_log {
	my ($r) = @_;
	my (@got, %acked, %answered, @resent, $window);
	open(my $fh, '<', $r->{log}) or return ([], {}, [], 0);
	while (<$fh>) {
		my ($what, $id) = split;
		if ($what eq 'got') {
			push @resent, $id if $acked{$id};
			push @got, $id;
		} elsif ($what eq 'ack') {
			$acked{$id} = $answered{$id} = 1;
		} elsif ($what eq 'fin') {
			$answered{$id} = 1;
			$window++;
		}
	}
	return (\@got, \%answered, \@resent, $window // 0);
}

# Several fast endpoints keep many calls finishing at once, so that a
# kill often lands while answers wait to be recorded.
my @fast = map { receiver("fast$_", 0) } 1 .. 6;
my $slow = receiver('slow', 0.3);
END { kill 'KILL', $_->{pid} for grep { $_ } @fast, $slow }

my ($email, $tok) = new_account('enterprise');
for my $r (@fast, $slow) {
	my $w = api(POST => '/api/v1/webhooks', token => $tok,
	    body => { url => $r->{url}, events => ['code.created'] });
	is($w->{status}, 201, "$r->{name} endpoint");
}

# The stack's sender, as the stack's loop starts it again after a kill.
sub sender_pids {
	my $conf = env('QRE_CONFIG');
	my @p = map { /^\s*(\d+)/ ? $1 : () }
	    grep { /qre-webhooks -c \Q$conf\E\s*$/ } `ps -eo pid,args`;
	return @p;
}

my $codes = 120;
my ($kills, $made, $t0) = (0, 0, time);
while ($made < $codes || $kills < 20) {
	if ($made < $codes) {
		for (1 .. 8) {
			my $c = api(POST => '/api/v1/codes', token => $tok,
			    body => { type => 'url', payload => { url => "https://example.com/$made" } });
			$made++ if $c->{status} == 201;
		}
	}
	sleep(0.2 + rand(0.6));
	my @p = sender_pids();
	if (@p) { kill 'KILL', @p; $kills++; }
	last if time - $t0 > 90;
}
is($made, $codes, "$codes codes made while the sender was killed");
cmp_ok($kills, '>=', 20, "the sender was killed $kills times");

# Then let it run: everything arrives.
for my $r (@fast, $slow) {
	my ($got, $acked);
	wait_until(90, sub {
		($got, $acked) = read_log($r);
		keys(%$acked) >= $codes;
	});
	my (undef, undef, $resent, $window) = read_log($r);
	is(scalar(keys %$acked), $codes, "$r->{name}: all $codes events answered (0 lost)");
	note("$r->{name}: $window answers read by a sender killed before it was seen alive again");
	is_deeply($resent, [], "$r->{name}: none sent again after its acknowledgement")
	    or diag("resent: @$resent");
	note(sprintf('%s: %d requests for %d events', $r->{name}, scalar(@$got), $codes));
}
done_testing();
