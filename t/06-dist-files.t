# Every migration and nginx snippet in the tree is installed: listed in
# Makefile.am (schema/007 was once left out, so make install gave a
# database without the scan spool table).
use strict;
use warnings;
use FindBin;
use Test::More;

my $root = "$FindBin::Bin/..";
open(my $fh, '<', "$root/Makefile.am") or die "Makefile.am: $!";
my $am = do { local $/; <$fh> };
close $fh;
my @files = (glob("$root/schema/*.sql"), glob("$root/nginx/*.conf"));
ok(@files >= 10, scalar(@files) . ' migrations and snippets');
for my $f (@files) {
	(my $rel = $f) =~ s{^\Q$root\E/}{};
	like($am, qr{(?:^|\s)\Q$rel\E(?:\s|\\|$)}m, "$rel is installed");
}
done_testing();
