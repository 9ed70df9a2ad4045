# Every #include in src/ points down the layers of docs/ARCHITECTURE.md
# (issue 11, item 1): scripts/check-layers passes on the tree, and, as a
# self-test, fails on copies of src/ with one upward include, one module
# cycle, a sender that reaches the request layer, and one file no layer
# claims, naming the file, the line and both layers.  Needs no stack.
use strict;
use warnings;
use FindBin;
use Test::More;
use File::Copy qw(copy);
use File::Temp qw(tempdir);

my $ROOT = "$FindBin::Bin/..";
my $CHECK = "$ROOT/scripts/check-layers";
my $SRC = "$ROOT/src";

# Exit status and output (stdout and stderr) of check-layers on $dir.
sub check {
	my ($dir) = @_;
	my $out = qx{"$^X" "$CHECK" "$dir" 2>&1};
	return ($? >> 8, $out);
}

# A copy of src/ whose $file gets $line after its last #include (or, for
# a file that does not exist yet, is just $line).
sub tree_with {
	my ($file, $line) = @_;
	my $dir = tempdir(CLEANUP => 1);
	opendir(my $dh, $SRC) or die "$SRC: $!";
	for (grep { /\.[ch]$/ } readdir $dh) {
		copy("$SRC/$_", "$dir/$_") or die "copy $_: $!";
	}
	closedir $dh;
	my $text = -e "$dir/$file" ? do {
		open(my $fh, '<', "$dir/$file") or die "$file: $!";
		local $/;
		<$fh>;
	} : '';
	my $at = 0;
	$at = $+[0] while $text =~ /^#include [^\n]*\n/mg;
	my $n = () = substr($text, 0, $at) =~ /\n/g;
	substr($text, $at, 0) = "$line\n";
	open(my $fh, '>', "$dir/$file") or die "$file: $!";
	print $fh $text;
	close $fh;
	return ($dir, $n + 1);
}

ok(-x $CHECK, 'scripts/check-layers is there and executable');

my ($rc, $out) = check($SRC);
is($rc, 0, 'src/: every include points down') or diag($out);
like($out, qr/^check-layers: ok: \d+ files, \d+ modules, \d+ layers/m,
    'it says how much it checked');

# An upward include: the database layer reaching into the worker.
my ($dir, $line) = tree_with('db.c', '#include "worker.h"');
($rc, $out) = check($dir);
is($rc, 1, 'db.c including worker.h: check-layers fails');
like($out, qr{/db\.c:$line: db \(db\) includes worker \(worker\): an upward include},
    'it names db.c, the line, and both layers') or diag($out);

# librender depends on nothing of libqre.
($dir, $line) = tree_with('symbol.c', '#include "log.h"');
($rc, $out) = check($dir);
is($rc, 1, 'symbol.c (librender) including log.h (libqre): fails');
like($out, qr{/symbol\.c:$line: symbol \(render\) includes log \(base\)},
    'it names symbol.c and both layers') or diag($out);

# A sideways include that closes a cycle: store_scans <-> store_webhooks.
($dir, $line) = tree_with('store_scans.h', '#include "store_webhooks.h"');
($rc, $out) = check($dir);
is($rc, 1, 'store_scans.h including store_webhooks.h: fails (a cycle)');
like($out, qr/module cycle: store_scans <-> store_webhooks/,
    'it names the cycle') or diag($out);
like($out, qr{/store_scans\.h:$line: store_scans \(store\) includes store_webhooks \(store\)},
    'and each include of it, with file, line and layers') or diag($out);

# The sender serves no FastCGI request: it must not reach request.h,
# even through a sideways include (code_view.h includes request.h).
($dir, $line) = tree_with('webhook_deliver.c', '#include "code_view.h"');
($rc, $out) = check($dir);
is($rc, 1, 'webhook_deliver.c including code_view.h: fails');
like($out, qr{qre-webhooks must not reach the request layer, but does: qre-webhooks -> sender -> webhook_deliver -> code_view -> request},
    'it names the path from qre-webhooks to request.h') or diag($out);

# A new file must be given a layer.
($dir) = tree_with('newthing.c', '#include "compat.h"');
($rc, $out) = check($dir);
is($rc, 1, 'a file in no layer: fails');
like($out, qr{newthing\.c: module 'newthing' is in no layer},
    'it names the file') or diag($out);

done_testing();
