package NodeTap;
# Tests written in Node (t/openapi/*.js) inside a Perl test: where their
# tools come from (docs/node_modules, installed by scripts/vendor-docs),
# and their TAP re-told through Test::More, so that one .t file can hold
# several of them and prove sees one plan.
use strict;
use warnings;
use Exporter 'import';
use Cwd qw(abs_path);
use File::Basename qw(dirname);
use Test::More;

our @EXPORT = qw(node_tools_or_fail node_tap $ROOT);

our $ROOT = abs_path(dirname(__FILE__) . '/../..');

sub have {
	my ($tool) = @_;
	return grep { -x "$_/$tool" } split /:/, $ENV{PATH} // '';
}

# The test fails (it does not skip) unless node and the npm packages
# MODULES are there: scripts/stack up installs and vendors them, so
# their absence is a broken stack, not an optional feature.
sub node_tools_or_fail {
	my (@modules) = @_;
	my @why;
	push @why, 'node is not installed (Debian: apt-get install nodejs npm)'
	    unless have('node');
	for my $m (@modules) {
		push @why, "docs/node_modules/$m is missing: run scripts/vendor-docs "
		    . 'DEST (scripts/stack up does)'
		    unless -f "$ROOT/docs/node_modules/$m/package.json";
	}
	return unless @why;
	fail($_) for @why;
	done_testing();
	exit 1;
}

# node_tap(NAME, {ENV}, SCRIPT, ARGS...): a subtest with SCRIPT's results.
sub node_tap {
	my ($name, $env, @cmd) = @_;
	subtest $name => sub {
		local %ENV = (%ENV, %$env);
		my ($plan, $n, $failed_last) = (undef, 0, 0);
		my $pid = open(my $fh, '-|') // die "fork: $!";
		if ($pid == 0) {
			open(STDERR, '>&', \*STDOUT);
			exec('node', @cmd) or exit 127;
		}
		while (my $line = <$fh>) {
			chomp $line;
			if ($line =~ /^(not )?ok\s+\d+(?:\s+-\s+(.*?))?(?:\s+#\s+(TODO|SKIP)\b\s*(.*))?$/i) {
				my ($not, $desc, $dir, $why) = ($1, $2 // '', uc($3 // ''), $4 // '');
				$desc =~ s/\\#/#/g;
				$n++;
				$failed_last = $not && $dir ne 'TODO';
				if ($dir eq 'SKIP') {
				    SKIP: { skip("$desc: $why", 1); }
				} elsif ($dir eq 'TODO') {
				    TODO: {
					local $TODO = $why;
					ok(!$not, $desc);
				    }
				} else {
					ok(!$not, $desc);
				}
			} elsif ($line =~ /^1\.\.(\d+)/) {
				$plan = $1;
			} elsif ($line =~ /^#\s?(.*)$/) {
				$failed_last ? diag($1) : note($1);
			} elsif ($line ne '') {
				diag($line);	# node's own complaints
			}
		}
		close $fh;
		my $rc = $? >> 8;
		ok(defined $plan && $plan == $n, "node $cmd[0]: "
		    . ($plan // 'no') . " planned, $n ran");
		is($rc, 0, "node $cmd[0]: exit status 0") if $rc != 0;
		done_testing();
	};
}

1;
