package Explain;
# EXPLAIN and ANALYZE of the very SQL text in src/, for the index tests:
# the statements a C file sends (string constants, adjacent literals
# joined, CODE_COLUMNS expanded), bound with literals, explained or run
# as the stack's MariaDB administrator.  t/63-indexes.t carries its own
# copy of the first helpers (it came first).
use strict;
use warnings;
use Exporter 'import';
use FindBin;
use JSON::PP;
use Test::More;
use Qre;

our @EXPORT = qw(c_strings q_str bind_sql mysql_rows mysql_do explain_rows
    explain_text analyze_json table_stats);

my $SRC = "$FindBin::Bin/../src";

# Every string constant of a C file under src/.
sub c_strings {
	my ($file) = @_;
	my $c = slurp("$SRC/$file") // die "$SRC/$file: $!";
	$c =~ s{/\*.*?\*/}{}gs;
	my $lit = qr/"(?:[^"\\]|\\.)*"/;
	if ($c =~ /#define\s+CODE_COLUMNS\s+((?:$lit\s*\\?\s*)+)/) {
		my $def = join '', $1 =~ /"((?:[^"\\]|\\.)*)"/g;
		$c =~ s/(?<!define )\bCODE_COLUMNS\b/"$def"/g;
	}
	my @s;
	while ($c =~ /=\s*((?:$lit\s*)+)[;,]/g) {
		push @s, join '', $1 =~ /"((?:[^"\\]|\\.)*)"/g;
	}
	return @s;
}

sub q_str { my ($v) = @_; $v =~ s/'/''/g; return "'$v'" }

# The statement with each ? replaced by the next literal.
sub bind_sql {
	my ($sql, @lit) = @_;
	my $n = () = $sql =~ /\?/g;
	die "$n placeholders, " . scalar(@lit) . " literals: $sql" if $n != @lit;
	$sql =~ s/\?/shift @lit/ge;
	return $sql;
}

sub mariadb_cmd {
	return ('mariadb', '--no-defaults', '-S', env('QRE_MYSQL_SOCKET'),
	    '-u', env('QRE_MYSQL_USER') // 'root', '-B', 'qre');
}

# Rows of a query: a list of { column => value } (NULL as undef).
sub mysql_rows {
	my ($sql) = @_;
	open(my $fh, '-|', mariadb_cmd(), '-e', $sql) or die "mariadb: $!";
	my @lines = <$fh>;
	close $fh;
	die "mariadb failed: $sql\n" if $?;
	chomp @lines;
	my @head = split /\t/, shift(@lines) // '';
	return map { my %r; @r{@head} = map { $_ eq 'NULL' ? undef : $_ }
	    split /\t/, $_, -1; \%r } @lines;
}

# Run statements; dies when MariaDB refuses one.
# Run statements; again after a deadlock (the workers write scans too);
# dies when MariaDB refuses them otherwise.
sub mysql_do {
	my ($sql) = @_;
	for my $try (1 .. 5) {
		my $pid = open(my $fh, '-|') // die "fork: $!";
		if (!$pid) {		# the child: its errors on the pipe too
			open(STDERR, '>&', \*STDOUT) or die "dup: $!";
			exec(mariadb_cmd(), '-e', $sql) or die "mariadb: $!";
		}
		my $out = join '', <$fh>;	# ANALYZE TABLE's table: not for TAP
		close $fh;
		return unless $?;
		die "mariadb failed: $sql\n$out" unless $out =~ /ERROR 1213/ && $try < 5;
		select(undef, undef, undef, 0.1 * $try);
	}
}

sub explain_rows { return mysql_rows("EXPLAIN $_[0]") }

sub explain_text {
	return join "\n", map { my $r = $_; join ' | ', map { "$_=" . ($r->{$_} // 'NULL') }
	    sort keys %$r } @_;
}

# ANALYZE FORMAT=JSON: the statement run, with the rows each table read.
sub analyze_json {
	my ($sql) = @_;
	open(my $fh, '-|', mariadb_cmd(), '-N', '-r', '-e', "ANALYZE FORMAT=JSON $sql")
	    or die "mariadb: $!";
	local $/;
	my $out = <$fh>;
	close $fh;
	return JSON::PP->new->decode($out);
}

# { table name => [ every "table" object of the plan with that name ] }.
sub table_stats {
	my ($plan) = @_;
	my %t;
	my $walk;
	$walk = sub {
		my ($o) = @_;
		if (ref $o eq 'HASH') {
			push @{ $t{$o->{table}{table_name}} }, $o->{table}
			    if ref $o->{table} eq 'HASH' && defined $o->{table}{table_name};
			$walk->($_) for values %$o;
		} elsif (ref $o eq 'ARRAY') {
			$walk->($_) for @$o;
		}
	};
	$walk->($plan);
	return \%t;
}

1;
