package Qre;
# Helpers for the end-to-end tests: the running stack (var/stack.env),
# HTTP over the loopback listener (HTTP::Tiny) or HTTPS (curl), qre-admin,
# the private MariaDB, and a private qre-fcgi for process tests.
use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use JSON::PP;
use File::Temp qw(tempdir);
use Time::HiRes qw(sleep time);
use Cwd qw(abs_path);
use File::Basename qw(dirname);

our @EXPORT = qw(env api api_https api_https_batch admin mysql_value
    new_account wait_until
    master_pid worker_pids json decode_json_safe start_private_fcgi
    stop_private_fcgi slurp);

my $ROOT = abs_path(dirname(__FILE__) . '/../..');
my %ENVV;

sub slurp {
	my ($path) = @_;
	open(my $fh, '<', $path) or return undef;
	local $/;
	my $s = <$fh>;
	close $fh;
	return $s;
}

sub env {
	my ($key) = @_;
	unless (%ENVV) {
		my $file = $ENV{QRE_STACK_ENV} // "$ROOT/var/stack.env";
		open(my $fh, '<', $file)
		    or die "no $file: run scripts/stack up first\n";
		while (<$fh>) {
			chomp;
			next unless /^(\w+)=(.*)$/;
			my ($k, $v) = ($1, $2);
			$v =~ s/^"(.*)"$/$1/;
			$ENVV{$k} = $v;
		}
	}
	return $ENVV{$key};
}

my $json = JSON::PP->new->canonical->utf8;
sub json { $json }

sub decode_json_safe {
	my ($s) = @_;
	my $v = eval { $json->decode($s) };
	return $v;
}

my $http = HTTP::Tiny->new(timeout => 30, keep_alive => 0);

# api(METHOD, PATH, token => T, body => REF|STRING, headers => {...},
#     url => BASE) -> { status, headers, content, json }
sub api {
	my ($method, $path, %o) = @_;
	my %h = %{ $o{headers} // {} };
	$h{Authorization} = "Bearer $o{token}" if defined $o{token};
	my %req = (headers => \%h);
	if (defined $o{body}) {
		$req{content} = ref $o{body} ? $json->encode($o{body}) : $o{body};
		$h{'Content-Type'} //= 'application/json';
	}
	my $base = $o{url} // env('QRE_HTTP_URL');
	my $res = $http->request($method, "$base$path", \%req);
	return {
		status  => $res->{status},
		headers => $res->{headers},
		content => $res->{content},
		json    => decode_json_safe($res->{content} // ''),
	};
}

# The same over HTTPS through curl (core Perl has no TLS).
sub api_https {
	my ($method, $path, %o) = @_;
	my $dir = tempdir(CLEANUP => 1);
	my @cmd = ('curl', '-sk', '-o', "$dir/body", '-D', "$dir/head",
	    '-X', $method, '--max-time', '30');
	push @cmd, '-H', "Authorization: Bearer $o{token}" if defined $o{token};
	if (defined $o{body}) {
		open(my $fh, '>', "$dir/req") or die;
		print $fh (ref $o{body} ? $json->encode($o{body}) : $o{body});
		close $fh;
		push @cmd, '-H', 'Content-Type: application/json',
		    '--data-binary', "\@$dir/req";
	}
	push @cmd, ($o{url} // env('QRE_BASE_URL')) . $path;
	system(@cmd) == 0 or return { status => 599 };
	my $head = slurp("$dir/head") // '';
	my ($status) = $head =~ m{^HTTP/\S+ (\d+)}m;
	my %headers;
	for (split /\r?\n/, $head) {
		$headers{lc $1} = $2 if /^([\w-]+):\s*(.*)$/;
	}
	my $content = slurp("$dir/body") // '';
	return { status => $status, headers => \%headers, content => $content,
	    json => decode_json_safe($content) };
}

# Many requests over HTTPS in one curl, on one kept-alive connection, so
# that they come as fast as nginx takes them:
# api_https_batch([[METHOD, PATH, TOKEN], ...], source => ADDR) -> list of
# { status, headers, content, json }.  source: the client address to send
# from (any 127.0.0.0/8 address is this machine), so that a test has
# nginx's per-address bucket to itself.
sub api_https_batch {
	my ($reqs, %o) = @_;
	my $dir = tempdir(CLEANUP => 1);
	my $base = $o{url} // env('QRE_BASE_URL');
	my @sections;
	for my $i (0 .. $#$reqs) {
		my ($method, $path, $tok) = @{ $reqs->[$i] };
		my $s = "url = \"$base$path\"\nrequest = \"$method\"\n"
		    . "insecure\nsilent\nipv4\nmax-time = 30\n"
		    . "output = \"$dir/b$i\"\ndump-header = \"$dir/h$i\"\n";
		$s .= "header = \"Authorization: Bearer $tok\"\n" if defined $tok;
		$s .= "interface = \"$o{source}\"\n" if defined $o{source};
		push @sections, $s;
	}
	open(my $fh, '>', "$dir/config") or die "$dir/config: $!";
	print $fh join("next\n", @sections);
	close $fh;
	system('curl', '-K', "$dir/config");
	my @out;
	for my $i (0 .. $#$reqs) {
		my $head = slurp("$dir/h$i") // '';
		my ($status) = $head =~ m{^HTTP/\S+ (\d+)}m;
		my %headers;
		for (split /\r?\n/, $head) {
			$headers{lc $1} = $2 if /^([\w-]+):\s*(.*)$/;
		}
		my $content = slurp("$dir/b$i") // '';
		push @out, { status => $status // 599, headers => \%headers,
		    content => $content, json => decode_json_safe($content) };
	}
	return @out;
}

# admin(ARGS...) -> (exit status, stdout, stderr)
sub admin {
	my @args = @_;
	my $dir = tempdir(CLEANUP => 1);
	my $cmd = env('QRE_ADMIN');
	my $q = join(' ', map { my $a = $_; $a =~ s/'/'\\''/g; "'$a'" } @args);
	system("$cmd $q >$dir/out 2>$dir/err </dev/null");
	return ($? >> 8, slurp("$dir/out") // '', slurp("$dir/err") // '');
}

# The first column of the first row of a query, as the stack's MariaDB
# administrator (QRE_MYSQL_USER, by unix_socket; root before it existed).
sub mysql_value {
	my ($sql) = @_;
	my $sock = env('QRE_MYSQL_SOCKET');
	open(my $fh, '-|', 'mariadb', '--no-defaults', '-S', $sock, '-u',
	    env('QRE_MYSQL_USER') // 'root', '-N', '-B', 'qre', '-e', $sql) or die "mariadb: $!";
	my $line = <$fh>;
	close $fh;
	return undef unless defined $line;
	chomp $line;
	my ($v) = split /\t/, $line;
	return $v eq 'NULL' ? undef : $v;
}

my $seq = 0;
# A fresh account on PLAN with a token: (email, token).
sub new_account {
	my ($plan) = @_;
	$plan //= 'enterprise';
	my $email = sprintf('t%d-%d-%d@test.qre', $$, time, ++$seq);
	my ($rc) = admin('account', 'add', '--email', $email, '--plan', $plan);
	die "account add failed ($rc)" if $rc;
	my ($rc2, $tok) = admin('token', 'create', '--account', $email,
	    '--name', 'test');
	die "token create failed ($rc2)" if $rc2;
	chomp $tok;
	return ($email, $tok);
}

sub wait_until {
	my ($timeout, $cb) = @_;
	my $end = time + $timeout;
	while (time < $end) {
		return 1 if $cb->();
		sleep 0.05;
	}
	return 0;
}

sub master_pid {
	my ($pidfile) = @_;
	$pidfile //= env('QRE_VAR') . '/run/qre-fcgi.pid';
	my $p = slurp($pidfile) // return undef;
	chomp $p;
	return $p;
}

sub worker_pids {
	my ($master) = @_;
	my @kids;
	for my $stat (glob '/proc/[0-9]*/stat') {
		my $s = slurp($stat) // next;
		# pid (comm) state ppid ...
		next unless $s =~ /^(\d+) \(.*\) \S+ (\d+)/s;
		push @kids, $1 if $2 == $master;
	}
	my @sorted = sort { $a <=> $b } @kids;
	return @sorted;	# a count in scalar context
}

# A qre-fcgi of our own on its own socket, for tests that kill or stop it.
# Options: workers, graceful_timeout, bin (another build's qre-fcgi), env
# (extra environment, e.g. sanitizer options).
# Returns { dir, socket, pidfile, conf, log, pid }.
sub start_private_fcgi {
	my (%o) = @_;
	my $dir = tempdir(CLEANUP => 1);
	my $conf = slurp(env('QRE_CONFIG'));
	$conf =~ s/^(listen|pid_file|workers|graceful_timeout)\s*=.*\n//mg;
	$conf .= "listen = $dir/qre.sock\npid_file = $dir/qre.pid\n"
	    . "workers = " . ($o{workers} // 2) . "\n"
	    . "graceful_timeout = " . ($o{graceful_timeout} // 10) . "\n";
	open(my $fh, '>', "$dir/qre.conf") or die;
	print $fh $conf;
	close $fh;
	my $bin = $o{bin} // env('QRE_BUILD_DIR') . '/qre-fcgi';
	my $pid = fork // die;
	if ($pid == 0) {
		$ENV{$_} = $o{env}{$_} for keys %{ $o{env} // {} };
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>>', "$dir/log");
		open(STDERR, '>>', "$dir/log");
		exec($bin, '-c', "$dir/qre.conf") or exit 127;
	}
	my $s = { dir => $dir, socket => "$dir/qre.sock",
	    pidfile => "$dir/qre.pid", conf => "$dir/qre.conf",
	    log => "$dir/log", pid => $pid };
	wait_until(10, sub { -S $s->{socket} && worker_pids($pid) >= ($o{workers} // 2) })
	    or die "private qre-fcgi did not start: " . (slurp("$dir/log") // '');
	return $s;
}

sub stop_private_fcgi {
	my ($s) = @_;
	return unless $s && $s->{pid};
	kill 'TERM', $s->{pid};
	waitpid($s->{pid}, 0);
	$s->{status} = $?;
	delete $s->{pid};
}

1;
