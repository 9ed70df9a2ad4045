package Sandbox;
# A private qre for one test file, so that it depends on no other
# process's timing: a database of its own (created, migrated with the
# stack's qre-admin and schema/, dropped at the end), a qre-fcgi of its
# own on its own socket with its own state_dir, and, when asked, a
# qre-webhooks loop of its own.  Requests go straight to its FastCGI
# socket (t/lib/FCGIClient.pm), the way nginx would send them.
#
#   my $sb = Sandbox->new(workers => 2, conf => { key => value },
#       mysqld => 'stack' | 'own', sender => 1);
#   $sb->api(GET => '/api/v1/codes', token => $tok)   # like Qre::api
#   $sb->admin('account', 'list'); $sb->new_account('free');
#   $sb->db_rows($sql); $sb->db_value($sql); $sb->{conf} (its qre.conf)
#   $sb->start_sender; $sb->stop_sender; $sb->stop   (END does it too)
#
# mysqld => 'stack' (the default): the database qre_t_<file>_<pid> on the
# stack's MariaDB, made by the stack's administrator account (the qre
# account may not create databases) and granted to the qre account.
# mysqld => 'own': a MariaDB of its own under the sandbox's directory (a
# copy of a template data directory kept in the stack's var/).  A sandbox
# with a sender needs one: qre-webhooks takes GET_LOCK('qre_webhooks'),
# and MariaDB's lock names are server-wide, so on the stack's server it
# would wait for the stack's own sender.  A test that counts statements
# with server-wide counters (SHOW GLOBAL STATUS) needs one too.
use strict;
use warnings;
use Fcntl qw(:flock);
use File::Basename qw(basename);
use File::Temp qw(tempdir);
use POSIX qw(_exit WNOHANG);
use Time::HiRes qw(sleep time);
use Qre ();
use FCGIClient;

my @LIVE;		# sandboxes END stops

END {
	my $st = $?;
	$_->stop for grep { $_->{owner} == $$ } @LIVE;
	$? = $st;
}

sub new {
	my ($class, %o) = @_;
	my $name = $o{name} // basename($0, '.t');
	$name =~ s/[^A-Za-z0-9]+/_/g;
	my $self = bless {
		owner => $$, workers => $o{workers} // 2,
		dir => tempdir('qre-sandbox-XXXXXX', TMPDIR => 1,
		    CLEANUP => !$ENV{QRE_KEEP_TMP}),
		build => Qre::env('QRE_BUILD_DIR'),
		db => substr("qre_t_${name}", 0, 50) . "_$$",
		own_mysqld => ($o{mysqld} // ($o{sender} ? 'own' : 'stack')) eq 'own',
	}, $class;
	die "Sandbox: a sender needs mysqld => 'own' (GET_LOCK is server-wide)\n"
	    if $o{sender} && !$self->{own_mysqld};
	push @LIVE, $self;
	# So that END runs on ^C and on prove's timeout.
	$SIG{$_} = sub { exit 1 } for grep { !$SIG{$_} || $SIG{$_} eq 'DEFAULT' }
	    qw(INT TERM);
	diag_dir($self) if $ENV{QRE_KEEP_TMP};
	if ($self->{own_mysqld}) {
		$self->_mysqld_start;
	} else {
		$self->{mysql_socket} = Qre::env('QRE_MYSQL_SOCKET');
		$self->{mysql_user} = Qre::env('QRE_MYSQL_USER') // 'root';
		$self->_drop_stale;
	}
	$self->_write_conf($o{conf} // {});
	$self->_db_create;
	my ($rc, $out, $err) = $self->admin('migrate');
	die "Sandbox: qre-admin migrate failed ($rc): $err$out" if $rc;
	$self->_fcgi_start;
	$self->start_sender if $o{sender};
	return $self;
}

sub diag_dir { print STDERR "# sandbox files in $_[0]{dir}\n" }

# ---- the database ------------------------------------------------------------------

# mariadb as the administrator on the sandbox's server: (rows, exit status).
sub _mysql {
	my ($self, $db, $sql) = @_;
	open(my $fh, '-|', 'mariadb', '--no-defaults', '-S', $self->{mysql_socket},
	    '-u', $self->{mysql_user}, '-N', '-B', (defined $db ? ($db) : ()),
	    '-e', $sql) or die "mariadb: $!";
	my @rows;
	while (my $l = <$fh>) {
		chomp $l;
		push @rows, [map { $_ eq 'NULL' ? undef : $_ } split /\t/, $l, -1];
	}
	close $fh;
	return (\@rows, $?);
}

# Every row of SQL on the sandbox's database, as arrays (NULL as undef).
sub db_rows {
	my ($self, $sql) = @_;
	my ($rows) = $self->_mysql($self->{db}, $sql);
	return @$rows;
}

sub db_do { my ($self, $sql) = @_; $self->db_rows($sql); return }

# The first column of the first row.
sub db_value {
	my ($self, $sql) = @_;
	my ($row) = $self->db_rows($sql);
	return $row ? $row->[0] : undef;
}

sub _must {
	my ($self, $sql) = @_;
	my (undef, $st) = $self->_mysql(undef, $sql);
	die "Sandbox: failed ($st): $sql\n" if $st;
}

# Databases of earlier sandboxes whose test died before its END ran.
sub _drop_stale {
	my ($self) = @_;
	my ($rows) = $self->_mysql(undef, "SHOW DATABASES LIKE 'qre\\_t\\_%'");
	for my $db (map { $_->[0] } @$rows) {
		my ($pid) = $db =~ /_(\d+)$/ or next;
		next if kill 0, $pid;
		$self->_mysql(undef, "DROP DATABASE IF EXISTS `$db`");
	}
}

sub _db_create {
	my ($self) = @_;
	my ($user, $pw) = @{ $self }{qw(db_user db_password)};
	$self->_must("CREATE DATABASE `$self->{db}` CHARACTER SET utf8mb4 "
	    . "COLLATE utf8mb4_unicode_ci");
	$self->{db_made} = 1;
	# The qre account of the stack's server exists; a server of our own
	# gets one with the same password.
	$self->_must("CREATE USER IF NOT EXISTS '$user'\@'localhost' IDENTIFIED BY '$pw'")
	    if $self->{own_mysqld};
	# The grants scripts/stack gives on the stack's database.
	$self->_must("GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, "
	    . "DROP, REFERENCES, LOCK TABLES, CREATE TEMPORARY TABLES ON "
	    . "`$self->{db}`.* TO '$user'\@'localhost'");
}

sub _db_drop {
	my ($self) = @_;
	return unless delete $self->{db_made};
	my $user = $self->{db_user};
	$self->_mysql(undef, "REVOKE ALL PRIVILEGES ON `$self->{db}`.* FROM "
	    . "'$user'\@'localhost'");
	$self->_mysql(undef, "DROP DATABASE IF EXISTS `$self->{db}`");
}

# A data directory made once by mariadb-install-db, copied for each
# sandbox (a copy takes a fraction of the time).
sub _template {
	my $var = Qre::env('QRE_VAR') // die "Sandbox: no QRE_VAR in stack.env\n";
	my $tpl = "$var/sandbox-mysql";
	open(my $lk, '>>', "$var/sandbox-mysql.lock") or die "$var: $!";
	flock($lk, LOCK_EX) or die "flock: $!";
	unless (-d "$tpl/mysql") {
		system('rm', '-rf', "$tpl.new");
		my $user = getpwuid($<);
		system("mariadb-install-db --no-defaults --datadir='$tpl.new' "
		    . "--user='$user' --auth-root-authentication-method=socket "
		    . "--auth-root-socket-user='$user' --skip-test-db "
		    . ">'$var/sandbox-mysql.log' 2>&1") == 0
		    or die "Sandbox: mariadb-install-db failed (see $var/sandbox-mysql.log)\n";
		rename("$tpl.new", $tpl) or die "rename $tpl: $!";
	}
	close $lk;
	return $tpl;
}

sub _mysqld_start {
	my ($self) = @_;
	my $d = $self->{dir};
	my $user = getpwuid($<);
	system('cp', '-a', _template(), "$d/mysql") == 0 or die "Sandbox: cp failed\n";
	@{ $self }{qw(mysql_socket mysql_user)} = ("$d/mysqld.sock", $user);
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>', '/dev/null');
		open(STDERR, '>', '/dev/null');
		exec('mariadbd', '--no-defaults', "--datadir=$d/mysql", "--user=$user",
		    "--socket=$d/mysqld.sock", '--skip-networking',
		    "--pid-file=$d/mysqld.pid", "--log-error=$d/mariadb.log",
		    '--innodb-buffer-pool-size=32M', '--innodb-flush-log-at-trx-commit=2',
		    '--max-connections=200', '--character-set-server=utf8mb4',
		    '--collation-server=utf8mb4_unicode_ci') or _exit(127);
	}
	$self->{mysqld_pid} = $pid;
	Qre::wait_until(60, sub {
		-S "$d/mysqld.sock" && !($self->_mysql(undef, 'SELECT 1'))[1];
	}) or die "Sandbox: MariaDB did not start: " . (Qre::slurp("$d/mariadb.log") // '');
}

sub _mysqld_stop {
	my ($self) = @_;
	my $pid = delete $self->{mysqld_pid} or return;
	kill 'TERM', $pid;
	my $end = time + 30;
	sleep 0.05 while waitpid($pid, WNOHANG) == 0 && time < $end;
	if (kill 0, $pid) {
		kill 'KILL', $pid;
		waitpid($pid, 0);
	}
}

# ---- the config, qre-admin, qre-fcgi -----------------------------------------------

sub _write_conf {
	my ($self, $extra) = @_;
	my $d = $self->{dir};
	my $conf = Qre::slurp(Qre::env('QRE_CONFIG')) // die "Sandbox: no config\n";
	($self->{db_user}) = $conf =~ /^db_user\s*=\s*(\S+)/m;
	($self->{db_password}) = $conf =~ /^db_password\s*=\s*(\S+)/m;
	my %set = (listen => "$d/qre.sock", pid_file => "$d/qre-fcgi.pid",
	    workers => $self->{workers}, db_socket => $self->{mysql_socket},
	    db_name => $self->{db}, state_dir => "$d/state", %$extra);
	mkdir "$d/state";
	for my $k (keys %set) {
		$conf =~ s/^\Q$k\E\s*=.*\n//mg;
	}
	$conf .= join '', map { "$_ = $set{$_}\n" } sort keys %set;
	open(my $fh, '>', "$d/qre.conf") or die "$d/qre.conf: $!";
	print $fh $conf;
	close $fh;
	chmod 0600, "$d/qre.conf";
	$self->{conf} = "$d/qre.conf";
	$self->{socket} = $set{listen};
}

# admin(ARGS...) -> (exit status, stdout, stderr), on the sandbox.
sub admin {
	my ($self, @args) = @_;
	my $d = $self->{dir};
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>', "$d/admin.out");
		open(STDERR, '>', "$d/admin.err");
		exec("$self->{build}/qre-admin", '-c', $self->{conf}, @args) or _exit(127);
	}
	waitpid($pid, 0);
	return ($? >> 8, Qre::slurp("$d/admin.out") // '', Qre::slurp("$d/admin.err") // '');
}

my $seq = 0;
# A fresh account on PLAN with a token: (email, token).
sub new_account {
	my ($self, $plan) = @_;
	my $email = sprintf('t%d-%d-%d@test.qre', $$, time, ++$seq);
	my ($rc) = $self->admin('account', 'add', '--email', $email, '--plan',
	    $plan // 'enterprise');
	die "account add failed ($rc)" if $rc;
	my ($rc2, $tok) = $self->admin('token', 'create', '--account', $email,
	    '--name', 'test');
	die "token create failed ($rc2)" if $rc2;
	chomp $tok;
	return ($email, $tok);
}

sub _fcgi_start {
	my ($self) = @_;
	my $d = $self->{dir};
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		open(STDIN, '<', '/dev/null');
		open(STDOUT, '>>', "$d/qre-fcgi.log");
		open(STDERR, '>&', \*STDOUT);
		exec("$self->{build}/qre-fcgi", '-c', $self->{conf}) or _exit(127);
	}
	$self->{fcgi_pid} = $pid;
	Qre::wait_until(20, sub { -S $self->{socket}
	    && Qre::worker_pids($pid) >= $self->{workers} })
	    or die "Sandbox: qre-fcgi did not start: " . (Qre::slurp("$d/qre-fcgi.log") // '');
}

sub fcgi_pid { $_[0]{fcgi_pid} }

sub _reap {	# pid, seconds: TERM, then KILL if it is still there
	my ($pid, $secs) = @_;
	kill 'TERM', $pid;
	my $end = time + $secs;
	sleep 0.05 while waitpid($pid, WNOHANG) == 0 && time < $end;
	if (kill 0, $pid) {
		kill 'KILL', $pid;
		waitpid($pid, 0);
	}
}

# ---- requests ------------------------------------------------------------------------

# api(METHOD, PATH, token => T, body => REF|STRING, headers => {...}) ->
# { status, headers, content, json }, as Qre::api answers, with the
# parameters nginx's fastcgi_params would give (REMOTE_ADDR 127.0.0.1,
# request headers as HTTP_*, no GEOIP_COUNTRY_CODE: loopback has none).
sub api {
	my ($self, $method, $path, %o) = @_;
	my %env = (REMOTE_ADDR => '127.0.0.1', REMOTE_PORT => 40000 + $$ % 20000,
	    SERVER_NAME => 'localhost', QUERY_STRING => ($path =~ /\?(.*)$/s)[0] // '',
	    DOCUMENT_URI => ($path =~ /^([^?]*)/s)[0]);
	my $body;
	if (defined $o{body}) {
		$body = ref $o{body} ? Qre::json()->encode($o{body}) : $o{body};
		$env{CONTENT_TYPE} = 'application/json';
	}
	my %h = %{ $o{headers} // {} };
	$h{Authorization} = "Bearer $o{token}" if defined $o{token};
	for my $k (keys %h) {
		if (lc $k eq 'content-type') { $env{CONTENT_TYPE} = $h{$k}; next }
		(my $n = uc "HTTP_$k") =~ s/-/_/g;
		$env{$n} = $h{$k};
	}
	my $r = FCGIClient::request($self->{socket}, method => $method, uri => $path,
	    body => $body, env => \%env);
	return { status => 599, headers => {}, content => '', json => undef } unless $r;
	return { status => $r->{status}, headers => $r->{headers},
	    content => $r->{body}, json => Qre::decode_json_safe($r->{body}) };
}

# ---- the webhook sender --------------------------------------------------------------

# A loop like the stack's (and cron's): a new qre-webhooks each time the
# last one ends, 0.3 s apart (at once after one was killed).  The
# running one's pid and start time are in DIR/sender.pid, each run's end
# in DIR/sender.runs, their output in DIR/sender.log.
sub start_sender {
	my ($self) = @_;
	return if $self->{sender_loop};
	my ($d, $bin) = ($self->{dir}, "$self->{build}/qre-webhooks");
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		my ($stop, $kid) = (0, 0);
		$SIG{INT} = 'DEFAULT';
		$SIG{TERM} = sub { $stop = 1; kill 'TERM', $kid if $kid };
		while (!$stop) {
			my $t = time;
			$kid = fork;
			if (!defined $kid) {
				$kid = 0;
				sleep 1;
				next;
			}
			if ($kid == 0) {
				open(STDIN, '<', '/dev/null');
				open(STDOUT, '>>', "$d/sender.log");
				open(STDERR, '>&', \*STDOUT);
				exec($bin, '-c', $self->{conf}) or _exit(127);
			}
			if (open(my $p, '>', "$d/sender.pid.new")) {
				print $p "$kid $t\n";
				close $p;
				rename("$d/sender.pid.new", "$d/sender.pid");
			}
			waitpid($kid, 0);
			my $pause = ($? & 127) ? 0.01 : 0.3;
			if (open(my $l, '>>', "$d/sender.runs")) {
				printf $l "%d %.3f %.3f %d\n", $kid, $t, time, $? >> 8;
				close $l;
			}
			$kid = 0;
			sleep $pause unless $stop;
		}
		_exit(0);
	}
	$self->{sender_loop} = $pid;
}

# The qre-webhooks the loop runs now, when it holds the lock, else undef.
sub sender_pid {
	my ($self) = @_;
	my ($pid) = split ' ', Qre::slurp("$self->{dir}/sender.pid") // '';
	return undef unless $pid && kill 0, $pid;
	my $s = Qre::slurp("/proc/$pid/stat") // return undef;
	return undef unless $s =~ /^\d+ \(qre-webhooks\) ([^Z]) (\d+) /
	    && $2 == $self->{sender_loop};
	return defined $self->db_value("SELECT IS_USED_LOCK('qre_webhooks')") ? $pid : undef;
}

sub stop_sender {
	my ($self) = @_;
	my $loop = delete $self->{sender_loop} or return;
	_reap($loop, 15);
	# A loop killed while hung leaves its qre-webhooks: ours, by pid file.
	my ($kid) = split ' ', Qre::slurp("$self->{dir}/sender.pid") // '';
	if ($kid && (Qre::slurp("/proc/$kid/stat") // '') =~ /^\d+ \(qre-webhooks\) [^Z] /) {
		kill 'KILL', $kid;
	}
}

sub stop {
	my ($self) = @_;
	$self->stop_sender;
	_reap(delete $self->{fcgi_pid}, 30) if $self->{fcgi_pid};
	if ($self->{own_mysqld}) {
		delete $self->{db_made};
		$self->_mysqld_stop;
	} else {
		$self->_db_drop;
	}
}

1;
