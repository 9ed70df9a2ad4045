# scripts/stack's private stack is the invoking user's alone (issue 10,
# item 8): another local user (here `nobody`) cannot read var/qre.conf
# (the database password) or var/stack.env (the demo token), cannot reach
# the MariaDB or the FastCGI socket, and could not log in to MariaDB
# without a password even with the socket in reach (tried through a hard
# link to it in a directory nobody can enter); MariaDB has no anonymous
# account, no account on a TCP host name and no TCP listener.  And the
# stack still works.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use File::Spec;
use File::Temp qw(tempdir);
use POSIX qw(_exit);
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use Qre;

my $VAR = env('QRE_VAR');
my $conf = env('QRE_CONFIG');
my $db_sock = env('QRE_MYSQL_SOCKET');
my ($fcgi_sock) = (slurp($conf) // '') =~ /^listen\s*=\s*(\S+)/m;
ok($fcgi_sock && -S $fcgi_sock, "the FastCGI socket ($fcgi_sock)");

sub mode { my @st = stat $_[0]; return @st ? $st[2] & 07777 : undef }

# ---- modes ---------------------------------------------------------------

for my $f ($conf, "$VAR/stack.env", "$VAR/db-password", "$VAR/demo-token") {
	my $m = mode($f);
	ok(defined $m && ($m & 077) == 0, sprintf('%s: 0%o, only its owner', $f, $m // 0));
}
for my $d ((map { (File::Spec->splitpath($_))[1] } $db_sock, $fcgi_sock), "$VAR/mysql") {
	my $m = mode($d);
	ok(defined $m && ($m & 007) == 0,
	    sprintf('%s: 0%o, no access for others', $d, $m // 0));
}
my $m = mode($fcgi_sock);
ok(defined $m && ($m & 007) == 0, sprintf('FastCGI socket: 0%o, not for others', $m // 0));

# ---- as another user -----------------------------------------------------

# as_nobody(CMD...) -> exit status of CMD run as user nobody (undef when
# this test cannot switch users).
my $nobody = getpwnam('nobody');
my @switch = $> == 0 ? ('runuser', '-u', 'nobody', '--')
    : ('sudo', '-n', '-u', 'nobody', '--');
my $can_switch = defined $nobody;
sub as_nobody {
	my @cmd = @_;
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		# What it would print (a config, an error) is not for the TAP.
		open(STDOUT, '>', '/dev/null');
		open(STDERR, '>', '/dev/null');
		exec(@switch, @cmd) or _exit(127);
	}
	waitpid($pid, 0);
	return $? >> 8;
}
my $connect = 'use IO::Socket::UNIX; use Socket; exit(IO::Socket::UNIX->new('
    . 'Type => SOCK_STREAM, Peer => shift) ? 0 : 1)';
my @mariadb = ('mariadb', '--no-defaults', '--connect-timeout=5', '-N', '-B');

SKIP: {
	skip 'cannot run commands as user nobody (not root, no sudo -n)', 12
	    unless $can_switch && as_nobody('true') == 0;
	isnt(as_nobody('cat', $conf), 0, 'nobody cannot read var/qre.conf');
	isnt(as_nobody('cat', "$VAR/stack.env"), 0, 'nobody cannot read var/stack.env');
	isnt(as_nobody(@mariadb, '-S', $db_sock, '-u', 'root', '-e', 'SELECT 1'), 0,
	    'nobody cannot use the MariaDB socket as root');
	isnt(as_nobody(@mariadb, '-S', $db_sock, '-u', 'qre', '-e', 'SELECT 1'), 0,
	    'nor as qre');
	isnt(as_nobody('perl', '-e', $connect, $fcgi_sock), 0,
	    'nobody cannot connect to the FastCGI socket');

	# The same sockets within nobody's reach, through hard links: the
	# accounts and the socket's own mode must refuse it too.
	my $dir = tempdir(DIR => $VAR, CLEANUP => 1);
	chmod 0755, $dir;
	my $ok = link($db_sock, "$dir/db.sock") && link($fcgi_sock, "$dir/fcgi.sock");
	skip "cannot link the sockets: $!", 7 unless $ok;
	skip 'nobody cannot reach a directory under var/', 7
	    unless as_nobody('test', '-x', $dir) == 0;
	for my $user ('root', env('QRE_MYSQL_USER') // 'root', 'qre', '') {
		isnt(as_nobody(@mariadb, '-S', "$dir/db.sock", '-u', $user, '-e', 'SELECT 1'), 0,
		    "the socket in reach, nobody still cannot log in as '$user' without a password");
	}
	isnt(as_nobody(@mariadb, '-S', "$dir/db.sock", '-u', 'root', '--password=invalid',
	    '-e', 'SELECT 1'), 0, "nor as root with the password 'invalid'");
	isnt(as_nobody('perl', '-e', $connect, "$dir/fcgi.sock"), 0,
	    'the FastCGI socket in reach, nobody still cannot connect');
	is(system('perl', '-e', $connect, "$dir/fcgi.sock") >> 8, 0,
	    'while its owner can');
	unlink "$dir/db.sock", "$dir/fcgi.sock";
}

# ---- MariaDB's accounts ----------------------------------------------------

is(mysql_value('SELECT @@skip_networking'), 1, 'MariaDB: no TCP listener');
is(mysql_value("SELECT COUNT(*) FROM mysql.global_priv WHERE User = ''"), 0,
    'no anonymous account');
is(mysql_value("SELECT GROUP_CONCAT(CONCAT(User, '\@', Host)) FROM mysql.global_priv "
    . "WHERE Host <> 'localhost'"), undef, 'no account but on localhost');
is(mysql_value("SELECT GROUP_CONCAT(User) FROM mysql.global_priv WHERE "
    . "COALESCE(JSON_VALUE(Priv, '\$.account_locked'), 0) IN (0, 'false') AND "
    . "COALESCE(JSON_VALUE(Priv, '\$.plugin'), 'mysql_native_password') "
    . "IN ('mysql_native_password', 'mysql_old_password') AND "
    . "COALESCE(JSON_VALUE(Priv, '\$.authentication_string'), '') = ''"), undef,
    'no account that takes an empty password');
like(mysql_value("SELECT Priv FROM mysql.global_priv WHERE User = 'root' AND "
    . "Host = 'localhost'"), qr/"plugin":\s*"unix_socket"/, 'root: by unix_socket');

# ---- and the stack works ---------------------------------------------------

is(api(GET => '/healthz')->{status}, 200, 'loopback http: /healthz 200');
is(api_https(GET => '/healthz')->{status}, 200, 'https: /healthz 200');
is(api_https(GET => '/api/tokens', token => env('QRE_TOKEN'))->{status}, 200,
    'https: the demo token works');
my ($rc, $out) = admin('token', 'list', '--account', env('QRE_DEMO_EMAIL'));
is($rc, 0, 'qre-admin reads the config and reaches the database');
done_testing();
