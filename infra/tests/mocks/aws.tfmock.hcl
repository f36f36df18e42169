# Realistic values for the computed attributes that end up inside policies, config.json or
# assertions; everything else a mocked resource computes is a random string.

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_partition.current
  values = { partition = "aws" }
}

mock_resource "aws_appsync_graphql_api" {
  defaults = {
    id  = "abcdefghijklmnopqrstuvwxyz"
    arn = "arn:aws:appsync:us-east-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz"
    uris = {
      GRAPHQL  = "https://abcdefghijklmnopqrstuvwxyz.appsync-api.us-east-1.amazonaws.com/graphql"
      REALTIME = "wss://abcdefghijklmnopqrstuvwxyz.appsync-realtime-api.us-east-1.amazonaws.com/graphql"
    }
  }
}

mock_resource "aws_dynamodb_table" {
  defaults = { arn = "arn:aws:dynamodb:us-east-1:123456789012:table/retro" }
}

mock_resource "aws_lambda_function" {
  defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:retro-mocked" }
}

mock_resource "aws_lambda_alias" {
  defaults = { arn = "arn:aws:lambda:us-east-1:123456789012:function:retro-mocked:live" }
}

mock_resource "aws_iam_role" {
  defaults = { arn = "arn:aws:iam::123456789012:role/retro-mocked" }
}

mock_resource "aws_wafv2_web_acl" {
  defaults = { arn = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/retro-api/mocked" }
}

mock_resource "aws_cloudfront_function" {
  defaults = { arn = "arn:aws:cloudfront::123456789012:function/retro-spa-fallback" }
}

mock_resource "aws_cloudwatch_log_group" {
  defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/mocked" }
}

mock_resource "aws_s3_bucket" {
  defaults = {
    id                          = "retro-client-mocked"
    arn                         = "arn:aws:s3:::retro-client-mocked"
    bucket_regional_domain_name = "retro-client-mocked.s3.us-east-1.amazonaws.com"
  }
}

mock_resource "aws_cloudfront_distribution" {
  defaults = {
    id          = "EMOCKED"
    arn         = "arn:aws:cloudfront::123456789012:distribution/EMOCKED"
    domain_name = "d111111abcdef8.cloudfront.net"
  }
}

mock_resource "aws_sns_topic" {
  defaults = { arn = "arn:aws:sns:us-east-1:123456789012:retro-alarms" }
}
