# The request body's fuzz target (libFuzzer + ASan + UBSan): json_body.c's
# parser and code_fields.c's validators on whatever bytes a client may
# send, briefly: CI runs it on every change; longer runs are
# "fuzz/run SECONDS json_fields" by hand.
use strict;
use warnings;
use FindBin;
use Test::More;

my $top = "$FindBin::Bin/..";
my $secs = $ENV{QRE_FUZZ_SECONDS} // 15;
plan skip_all => 'clang is not installed' unless system('sh', '-c', 'command -v clang >/dev/null') == 0;
my $out = `$top/fuzz/run $secs json_fields 2>&1`;
my $rc = $? >> 8;
is($rc, 0, "fuzz/run $secs json_fields: no crash, leak, undefined behaviour or broken limit")
    or diag(join("\n", grep { defined } (split /\n/, $out)[-40 .. -1]));
my ($runs) = $out =~ /stat::number_of_executed_units:\s*(\d+)/;
ok(defined $runs && $runs > 1000, 'the target really ran (' . ($runs // 0) . ' inputs)');
done_testing();
