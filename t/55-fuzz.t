# The renderer's fuzz target (libFuzzer + ASan + UBSan), briefly: CI runs
# it on every change; longer runs are fuzz/run SECONDS by hand.
use strict;
use warnings;
use FindBin;
use Test::More;

my $top = "$FindBin::Bin/..";
my $secs = $ENV{QRE_FUZZ_SECONDS} // 20;
plan skip_all => 'clang is not installed' unless system('sh', '-c', 'command -v clang >/dev/null') == 0;
my $out = `$top/fuzz/run $secs 2>&1`;
my $rc = $? >> 8;
is($rc, 0, "fuzz/run $secs: no crash, leak or undefined behaviour")
    or diag(join("\n", (split /\n/, $out)[-30 .. -1]));
my ($runs) = $out =~ /stat::number_of_executed_units:\s*(\d+)/;
ok(defined $runs && $runs > 1000, 'the target really ran (' . ($runs // 0) . ' inputs)');
done_testing();
