package Tools;
# File and process helpers the image tests share: write and read bytes,
# run a program, read a PNG back with zbar or ZXing.
use strict;
use warnings;
use Exporter 'import';
use File::Temp qw(tempdir);
use File::Basename qw(dirname);
use Cwd qw(abs_path);
use JSON::PP;
use POSIX qw(_exit);

our @EXPORT = qw(spew slurp_raw run_cmd zbar zxing);

my $ROOT = abs_path(dirname(__FILE__) . '/../..');

my $TMP = tempdir(CLEANUP => 1);

sub spew {
	my ($path, $bytes) = @_;
	open(my $fh, '>:raw', $path) or die "$path: $!";
	print $fh $bytes;
	close $fh or die "$path: $!";
}

sub slurp_raw {
	my ($path) = @_;
	open(my $fh, '<:raw', $path) or return '';
	local $/;
	my $s = <$fh>;
	close $fh;
	return $s // '';
}

# run_cmd(\@argv, stdin => FILE) -> (exit status, stdout bytes, stderr bytes)
sub run_cmd {
	my ($argv, %o) = @_;
	my ($out, $err) = ("$TMP/out", "$TMP/err");
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		open(STDIN, '<', $o{stdin} // '/dev/null') or _exit(126);
		open(STDOUT, '>', $out) or _exit(126);
		open(STDERR, '>', $err) or _exit(126);
		{ no warnings 'exec'; exec { $argv->[0] } @$argv; }
		_exit(127);
	}
	waitpid($pid, 0);
	return ($? >> 8, slurp_raw($out), slurp_raw($err));
}

# What zbar reads in a PNG, without its trailing newline; undef: nothing.
sub zbar {
	my ($png) = @_;
	my ($st, $out) = run_cmd(['zbarimg', '--nodbus', '--raw', '-q', $png]);
	return undef if $st != 0;
	$out =~ s/\n\z//;
	return $out;
}

# What ZXing reads in each PNG (t/render/zxing-read.js, one node run for
# them all): a list of [format, text as UTF-8 bytes], in order; format
# undef: nothing.  Needs node and docs/node_modules (zxing-wasm, pngjs):
# call NodeTap's node_tools_or_fail('zxing-wasm', 'pngjs') first.
sub zxing {
	my (@pngs) = @_;
	my ($st, $out, $err) = run_cmd(['node',
	    "$ROOT/t/render/zxing-read.js", @pngs]);
	die "t/render/zxing-read.js: exit $st: $err" if $st != 0;
	my $json = JSON::PP->new->utf8;
	my @r;
	for my $line (split /\n/, $out) {
		my $v = $json->decode($line);
		my $text = $v->{text};
		utf8::encode($text) if defined $text;
		push @r, [$v->{format}, $text];
	}
	die "t/render/zxing-read.js: " . scalar(@r) . " answers for "
	    . scalar(@pngs) . " images\n" if @r != @pngs;
	return @r;
}

1;
