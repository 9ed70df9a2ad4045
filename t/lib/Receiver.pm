package Receiver;
# A loopback HTTP receiver for the webhook tests, in a forked child: it
# listens on 127.0.0.1, or on host => '::1' (port 0: any free port), and
# serves each connection
# in a child of its own, so slow answers do not hold up other requests.
#
# What it answers is set per request from a behaviour file the test
# writes: a queue of behaviours, each used for one request, and a default
# for when the queue is empty.  A behaviour is a hash or a shorthand:
#   { code => 200 }                       '200', 'ok'
#   { code => 500 }                       '500'
#   { code => 503, retry_after => 120 }   '503:120'
#   { code => 200, sleep => 3 }           'slow:3' (or 'slow:3:500')
#   { drop => 1 }                         'drop'   (close, no answer)
#
# Every request is logged on arrival, before it is answered, as a JSON
# line: { t, method, path, headers (lower-case names), body (the raw
# bytes), behaviour }.  requests() reads them back.
#
#   my $r = Receiver::start(behaviour => '200');   # host => '::1' for IPv6
#   $r->{url}; $r->{port}; $r->{log}; $r->{pid}
#   $r->set_behaviour('500');            # the default from now on
#   $r->queue('drop', 'slow:5', '200');  # the next three requests
#   my @req = $r->requests;              # [{ headers, body, ... }, ...]
#   $r->stop;
use strict;
use warnings;
use Fcntl qw(:flock O_RDWR O_CREAT O_WRONLY O_APPEND);
use File::Temp qw(tempdir);
use IO::Select;
use IO::Socket::IP;
use JSON::PP;
use POSIX qw(_exit WNOHANG);
use Time::HiRes qw(sleep time);

my $JSON = JSON::PP->new->canonical->utf8;

my %REASON = (200 => 'OK', 201 => 'Created', 204 => 'No Content',
    400 => 'Bad Request', 404 => 'Not Found', 410 => 'Gone',
    429 => 'Too Many Requests', 500 => 'Internal Server Error',
    502 => 'Bad Gateway', 503 => 'Service Unavailable');

sub behaviour {
	my ($spec) = @_;
	return { %$spec } if ref $spec eq 'HASH';
	$spec //= '200';
	return { code => 200 } if $spec eq 'ok';
	return { drop => 1 } if $spec eq 'drop';
	return { code => $1 // 200, sleep => $2, ($3 ? (code => $3) : ()) }
	    if $spec =~ /^(?:(\d{3}):)?slow:([\d.]+)(?::(\d{3}))?$/;
	return { code => $1, retry_after => $2 } if $spec =~ /^(\d{3}):(.+)$/;
	return { code => $1 } if $spec =~ /^(\d{3})$/;
	die "Receiver: unknown behaviour '$spec'\n";
}

# Read, change and write the behaviour file under an exclusive lock.
sub _with_state {
	my ($path, $cb) = @_;
	sysopen(my $fh, $path, O_RDWR | O_CREAT) or die "$path: $!";
	flock($fh, LOCK_EX) or die "flock $path: $!";
	local $/;
	my $s = <$fh>;
	my $state = (defined $s && length $s) ? $JSON->decode($s) :
	    { default => { code => 200 }, queue => [] };
	my $ret = $cb->($state);
	seek($fh, 0, 0);
	truncate($fh, 0);
	print $fh $JSON->encode($state);
	close $fh;	# also unlocks
	return $ret;
}

sub start {
	my (%o) = @_;
	my $dir = $o{dir} // tempdir(CLEANUP => 1);
	my $self = bless { dir => $dir, log => "$dir/requests.log",
	    state => "$dir/behaviour.json", owner_pid => $$ }, __PACKAGE__;
	open(my $st, '>', $self->{state}) or die "$self->{state}: $!";
	print $st $JSON->encode({ default => behaviour($o{behaviour}),
	    queue => [map { behaviour($_) } @{ $o{queue} // [] }] });
	close $st;
	open(my $lg, '>', $self->{log}) or die "$self->{log}: $!";
	close $lg;
	my $host = $o{host} // '127.0.0.1';
	my $srv = IO::Socket::IP->new(LocalHost => $host, LocalPort => 0,
	    Proto => 'tcp', Listen => 128, ReuseAddr => 1)
	    or die "Receiver: listen on $host: $@";
	$self->{port} = $srv->sockport;
	$self->{url} = ($host =~ /:/ ? "http://[$host]" : "http://$host")
	    . ":$self->{port}";
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		_serve($self, $srv);
		_exit(0);
	}
	close $srv;
	$self->{pid} = $pid;
	return $self;
}

# The listening child: a child per connection, reaped as they end; on
# SIGTERM the ones still busy (sleeping) are ended too.
sub _serve {
	my ($self, $srv) = @_;
	my %kids;
	my $stop = 0;
	$SIG{TERM} = sub { $stop = 1 };
	$SIG{INT} = 'DEFAULT';
	$SIG{PIPE} = 'IGNORE';
	my $sel = IO::Select->new($srv);
	while (!$stop) {
		while ((my $k = waitpid(-1, WNOHANG)) > 0) {
			delete $kids{$k};
		}
		next unless $sel->can_read(0.1);
		my $c = $srv->accept or next;
		my $pid = fork;
		if (!defined $pid) {
			close $c;
			next;
		}
		if ($pid == 0) {
			$SIG{TERM} = 'DEFAULT';
			close $srv;
			eval { _handle($self, $c) };
			_exit(0);
		}
		$kids{$pid} = 1;
		close $c;
	}
	kill 'KILL', keys %kids if %kids;
	1 while waitpid(-1, 0) > 0;
}

sub _read_request {
	my ($c) = @_;
	my $buf = '';
	my $deadline = time + 10;
	my $sel = IO::Select->new($c);
	while (index($buf, "\r\n\r\n") < 0) {
		return undef if time > $deadline;
		next unless $sel->can_read(1);
		my $n = sysread($c, $buf, 65536, length $buf);
		return undef unless $n;
	}
	my $end = index($buf, "\r\n\r\n");
	my $head = substr($buf, 0, $end);
	my $body = substr($buf, $end + 4);
	my ($line, @lines) = split /\r\n/, $head;
	my ($method, $path, $proto) = split / /, $line // '';
	my %h;
	for (@lines) {
		next unless /^([^:]+):\s*(.*?)\s*$/;
		my $k = lc $1;
		$h{$k} = exists $h{$k} ? "$h{$k}, $2" : $2;
	}
	my $chunked = ($h{'transfer-encoding'} // '') =~ /chunked/i;
	my $want = $h{'content-length'} // 0;
	my $more = sub {
		return 0 if time > $deadline;
		$sel->can_read(1) or return 1;
		my $n = sysread($c, $body, 65536, length $body);
		return $n ? 1 : 0;
	};
	if ($chunked) {
		my $out = '';
		while (1) {
			my $nl = index($body, "\r\n");
			if ($nl < 0) { $more->() or last; next }
			my $size = hex(substr($body, 0, $nl));
			if (length($body) < $nl + 2 + $size + 2) {
				$more->() or last;
				next;
			}
			$out .= substr($body, $nl + 2, $size);
			substr($body, 0, $nl + 2 + $size + 2) = '';
			last if $size == 0;
		}
		$body = $out;
	} else {
		while (length($body) < $want) {
			$more->() or last;
		}
	}
	return { method => $method, path => $path, headers => \%h,
	    body => $body };
}

sub _log {
	my ($self, $rec) = @_;
	sysopen(my $fh, $self->{log}, O_WRONLY | O_APPEND | O_CREAT)
	    or return;
	flock($fh, LOCK_EX);
	syswrite($fh, $JSON->encode($rec) . "\n");
	close $fh;
}

sub _handle {
	my ($self, $c) = @_;
	my $req = _read_request($c) or return;
	my $b = _with_state($self->{state}, sub {
		my ($s) = @_;
		return @{ $s->{queue} } ? shift @{ $s->{queue} } : $s->{default};
	});
	$req->{t} = time;
	$req->{behaviour} = $b;
	$req->{conn} = $$;
	$self->_log($req);
	sleep $b->{sleep} if $b->{sleep};
	if ($b->{drop}) {
		shutdown($c, 2);
		close $c;
		return;
	}
	my $code = $b->{code} // 200;
	my $body = $b->{body} // "{\"received\":true}";
	my $res = sprintf("HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
	    . "Content-Length: %d\r\nConnection: close\r\n", $code,
	    $REASON{$code} // 'Status', length $body);
	$res .= "Retry-After: $b->{retry_after}\r\n" if defined $b->{retry_after};
	$res .= "\r\n$body";
	syswrite($c, $res);
	close $c;
}

# The default behaviour from now on (the queue is left as it is).
sub set_behaviour {
	my ($self, $spec) = @_;
	my $b = behaviour($spec);
	_with_state($self->{state}, sub { $_[0]{default} = $b });
}

# Behaviours for the next requests, one each, before the default.
sub queue {
	my ($self, @specs) = @_;
	my @b = map { behaviour($_) } @specs;
	_with_state($self->{state}, sub { push @{ $_[0]{queue} }, @b });
}

# Empty the queue (what is left of it is returned).
sub clear_queue {
	my ($self) = @_;
	return @{ _with_state($self->{state}, sub {
		my $q = $_[0]{queue};
		$_[0]{queue} = [];
		$q;
	}) };
}

# Every request logged so far, in arrival order; with a filter sub, those
# it accepts.
sub requests {
	my ($self, $filter) = @_;
	open(my $fh, '<', $self->{log}) or return ();
	flock($fh, LOCK_SH);
	my @r;
	while (my $l = <$fh>) {
		my $v = eval { $JSON->decode($l) } or next;
		push @r, $v;
	}
	close $fh;
	@r = grep { $filter->($_) } @r if $filter;
	return @r;
}

# The body of each request, decoded (undef where it is not JSON).
sub decoded {
	my ($req) = @_;
	return eval { $JSON->decode($req->{body}) };
}

sub stop {
	my ($self) = @_;
	return unless $self->{pid};
	kill 'TERM', $self->{pid};
	waitpid($self->{pid}, 0);
	delete $self->{pid};
}

sub DESTROY {
	my ($self) = @_;
	$self->stop if $self->{pid} && $self->{owner_pid} == $$;
}

1;
