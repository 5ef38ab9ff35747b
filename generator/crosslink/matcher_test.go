package crosslink

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lectern/lectern/generator/catalog"
)

const testCatalogYAML = `lowercase-names: true
services:
  lambda:
    name: AWS Lambda
    aliases: [Lambda]
    summary: Runs code without servers.
    docs: https://docs.aws.amazon.com/lambda/
    category: Compute
  redshift:
    name: Amazon Redshift
    aliases: [Redshift]
    summary: Data warehouse.
    docs: https://docs.aws.amazon.com/redshift/
    category: Analytics
  redshift-spectrum:
    name: Redshift Spectrum
    summary: Query S3 from Redshift.
    docs: https://docs.aws.amazon.com/redshift/
    category: Analytics
  glue:
    name: AWS Glue
    aliases: [Glue]
    lowercase: false
    summary: Serverless ETL.
    docs: https://docs.aws.amazon.com/glue/
    category: Analytics
  glue-data-catalog:
    name: Glue Data Catalog
    summary: Table metadata.
    docs: https://docs.aws.amazon.com/glue/
    category: Analytics
  kinesis:
    name: Amazon Kinesis
    aliases: [Kinesis]
    summary: Streaming.
    docs: https://docs.aws.amazon.com/kinesis/
    category: Streaming
  firehose:
    name: Kinesis Data Firehose
    summary: Delivery streams.
    docs: https://docs.aws.amazon.com/firehose/
    category: Streaming
  emr:
    name: Amazon EMR
    aliases: [Elastic MapReduce]
    abbreviations: [EMR]
    summary: Managed Hadoop.
    docs: https://docs.aws.amazon.com/emr/
    category: Analytics
  emrfs:
    name: EMR File System
    abbreviations: [EMRFS]
    summary: S3 as HDFS.
    docs: https://docs.aws.amazon.com/emr/
    category: Storage
  s3:
    name: Amazon S3
    abbreviations: [S3]
    summary: Object storage.
    docs: https://docs.aws.amazon.com/s3/
    category: Storage
  s3distcp:
    name: S3DistCp
    summary: Copies S3 to HDFS.
    docs: https://docs.aws.amazon.com/emr/
    category: Storage
  step-functions:
    name: Step Functions
    summary: Workflows.
    docs: https://docs.aws.amazon.com/step-functions/
    category: Integration
  pig:
    name: Pig
    case-sensitive: true
    summary: Pig Latin.
    docs: https://pig.apache.org/
    category: Hadoop
  hdfs:
    name: Hadoop Distributed File System
    abbreviations: [HDFS]
    summary: Hadoop storage.
    docs: https://hadoop.apache.org/
    category: Hadoop
`

func testCatalog(t testing.TB) *catalog.Catalog {
	t.Helper()
	c, ds := catalog.Load("test.yaml", []byte(testCatalogYAML))
	if len(ds) != 0 {
		t.Fatalf("test catalog: %v", ds)
	}
	return c
}

// show renders matches as [text=slug] inside the input, which keeps the table readable.
func show(text string, ms []Match) string {
	var b strings.Builder
	pos := 0
	for _, m := range ms {
		b.WriteString(text[pos:m.Start])
		fmt.Fprintf(&b, "[%s=%s]", text[m.Start:m.End], m.Service.Slug)
		pos = m.End
	}
	b.WriteString(text[pos:])
	return b.String()
}

func TestMatcher(t *testing.T) {
	t.Parallel()
	m := NewMatcher(testCatalog(t))
	cases := []struct{ name, in, want string }{
		{"longest Redshift Spectrum", "query with Redshift Spectrum today", "query with [Redshift Spectrum=redshift-spectrum] today"},
		{"shorter when longer fails", "Redshift Spec", "[Redshift=redshift] Spec"},
		{"longest Glue Data Catalog", "the Glue Data Catalog stores", "the [Glue Data Catalog=glue-data-catalog] stores"},
		{"longest Kinesis Data Firehose", "Kinesis Data Firehose and Kinesis", "[Kinesis Data Firehose=firehose] and [Kinesis=kinesis]"},
		{"full name", "AWS Lambda runs", "[AWS Lambda=lambda] runs"},
		{"whitespace inside a name", "Redshift\n  Spectrum", "[Redshift\n  Spectrum=redshift-spectrum]"},
		{"word boundary EMRFS", "EMRFS is not EMR", "[EMRFS=emrfs] is not [EMR=emr]"},
		{"word boundary S3DistCp", "S3DistCP copies to S3", "[S3DistCP=s3distcp] copies to [S3=s3]"},
		{"inside a word", "Lambdaesque and preLambda", "Lambdaesque and preLambda"},
		{"digits are word characters", "S3x and 2S3", "S3x and 2S3"},
		{"underscore joins", "my_lambda_fn and Lambda_x", "my_lambda_fn and Lambda_x"},
		{"acronym case-sensitive", "emr and Emr and EMR", "emr and Emr and [EMR=emr]"},
		{"name any mixed case", "REDSHIFT and ReDsHiFt", "[REDSHIFT=redshift] and [ReDsHiFt=redshift]"},
		{"lowercase allowed by catalog", "use lambda here", "use [lambda=lambda] here"},
		{"lowercase refused per service", "glue the parts with Glue", "glue the parts with [Glue=glue]"},
		{"case-sensitive name", "a pig, a PIG, and Pig", "a pig, a PIG, and [Pig=pig]"},
		{"possessive", "Lambda's payload", "[Lambda's=lambda] payload"},
		{"typographic possessive", "Lambda’s payload", "[Lambda’s=lambda] payload"},
		{"plural", "two Lambdas and EMRs", "two [Lambdas=lambda] and [EMRs=emr]"},
		{"plural es", "many HDFSes", "many [HDFSes=hdfs]"},
		{"possessive after s", "Step Functions' states", "[Step Functions'=step-functions] states"},
		{"quote after name is not possessive", "'Lambda' rocks", "'[Lambda=lambda]' rocks"},
		{"punctuation", "(Lambda), Redshift. S3!", "([Lambda=lambda]), [Redshift=redshift]. [S3=s3]!"},
		{"slash between names", "HDFS/S3 storage", "[HDFS=hdfs]/[S3=s3] storage"},
		{"lowercase path", "log group /aws/lambda/fn", "log group /aws/lambda/fn"},
		{"hyphenated prose", "EBS-only and EMR-managed", "EBS-only and [EMR=emr]-managed"},
		{"hyphenated lowercase identifier", "my-lambda-function", "my-lambda-function"},
		{"dotted identifier", "lambda.amazonaws.com and S3.Object", "lambda.amazonaws.com and S3.Object"},
		{"sentence end dot", "load into Redshift.", "load into [Redshift=redshift]."},
		{"url", "see https://docs.aws.amazon.com/lambda/Lambda and s3://bucket/S3 then Lambda", "see https://docs.aws.amazon.com/lambda/Lambda and s3://bucket/S3 then [Lambda=lambda]"},
		{"www url", "www.Lambda.com Lambda", "www.Lambda.com [Lambda=lambda]"},
		{"email", "ops@Lambda.example", "ops@Lambda.example"},
		{"unicode neighbours", "éLambda Lambdaé «Lambda»", "éLambda Lambdaé «[Lambda=lambda]»"},
		{"adjacent mentions", "Lambda Redshift", "[Lambda=lambda] [Redshift=redshift]"},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := show(tc.in, m.FindAll([]byte(tc.in))); got != tc.want {
				t.Errorf("FindAll(%q)\n got  %s\n want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestMatcherLowercaseOff(t *testing.T) {
	t.Parallel()
	c := testCatalog(t)
	c.LowercaseNames = false
	m := NewMatcher(c)
	in := "lambda and Lambda and LAMBDA"
	if got, want := show(in, m.FindAll([]byte(in))), "lambda and [Lambda=lambda] and [LAMBDA=lambda]"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestMatcherEmptyCatalog(t *testing.T) {
	t.Parallel()
	m := NewMatcher(catalog.New(nil))
	if got := m.FindAll([]byte("Lambda")); len(got) != 0 {
		t.Fatalf("empty catalog matched %v", got)
	}
}

func FuzzMatcher(f *testing.F) {
	m := NewMatcher(testCatalog(f))
	for _, s := range []string{"Redshift Spectrum", "EMRFS EMR", "Lambda's", "https://x/Lambda", "www.", "://", "a-lambda", "Step Functions'", "\xff\xfeLambda"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ms := m.FindAll([]byte(s))
		prev := 0
		for _, mt := range ms {
			if mt.Start < prev || mt.End <= mt.Start || mt.End > len(s) {
				t.Fatalf("bad match %+v after %d in %q", mt, prev, s)
			}
			if utf8.ValidString(s) && (!utf8.ValidString(s[mt.Start:mt.End])) {
				t.Fatalf("match splits a rune: %q", s[mt.Start:mt.End])
			}
			if !wordStart([]byte(s), mt.Start) {
				t.Fatalf("match %q does not start a word in %q", s[mt.Start:mt.End], s)
			}
			prev = mt.End
		}
		// Matching a mention on its own finds the same service.
		for _, mt := range ms {
			sub := m.FindAll([]byte(s[mt.Start:mt.End]))
			if len(sub) != 1 || sub[0].Service != mt.Service {
				t.Fatalf("%q matched %s in context but %v alone", s[mt.Start:mt.End], mt.Service.Slug, sub)
			}
		}
	})
}
