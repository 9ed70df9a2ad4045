# docs/openapi.yaml: (a) a valid OpenAPI 3.1 document (swagger-parser's
# validate(), every schema and example through Ajv 2020-12, and held
# against src/routes.c and src/errors.h: t/openapi/validate-doc.js);
# (b) the live stack answering as it says: every operation called, each
# status documented and each JSON body valid against its schema, members
# it does not declare included (t/openapi/check-responses.js).
# The checks run in Node with docs/node_modules (scripts/vendor-docs).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/lib";
use Test::More;
use NodeTap;
use Qre;

node_tools_or_fail(qw(@apidevtools/swagger-parser ajv ajv-formats));

node_tap('the document', {}, "$ROOT/t/openapi/validate-doc.js");

# A fresh enterprise account for the calls, and a free one for the plan
# limits and the daily quota (it uses its 100 calls up).
my (undef, $tok) = new_account('enterprise');
my (undef, $free) = new_account('free');
my $stack_env = $ENV{QRE_STACK_ENV} // "$ROOT/var/stack.env";
node_tap('the live server against the document', {
	QRE_STACK_ENV => $stack_env,
	QRE_OPENAPI_TOKEN => $tok,
	QRE_OPENAPI_FREE_TOKEN => $free,
}, "$ROOT/t/openapi/check-responses.js");

done_testing();
