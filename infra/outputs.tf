# What the operations steps of docs/DEPLOY.md need, and the smoke test after an apply:
# `terraform -chdir=infra output` lists them, `output -raw NAME` prints one for a script.

output "graphql_url" {
  description = "HTTPS endpoint of the GraphQL API."
  value       = local.graphql_url
}

output "realtime_url" {
  description = "WebSocket endpoint of the API's subscriptions (AppSync realtime protocol)."
  value       = local.realtime_url
}

output "api_id" {
  description = "The AppSync API's id: its log group is /aws/appsync/apis/<api_id>."
  value       = aws_appsync_graphql_api.main.id
}

output "api_arn" {
  description = "The AppSync API's ARN (the resource the web ACL protects)."
  value       = aws_appsync_graphql_api.main.arn
}

output "client_url" {
  description = "Where the browser client is served (CloudFront); null with enable_hosting = false."
  value       = var.enable_hosting ? "https://${aws_cloudfront_distribution.client[0].domain_name}/" : null
}

output "distribution_id" {
  description = "The CloudFront distribution's id (for invalidations); null with enable_hosting = false."
  value       = var.enable_hosting ? aws_cloudfront_distribution.client[0].id : null
}

output "client_bucket" {
  description = "The S3 bucket holding the client's files (versioned: old versions roll a deploy back); null with enable_hosting = false."
  value       = var.enable_hosting ? aws_s3_bucket.client[0].id : null
}

output "client_config" {
  description = "The client's config.json (the API's URLs). With enable_hosting = false, write it next to client/'s files on any HTTPS static host: terraform output -raw client_config > config.json."
  value       = local.client_config
}

output "next_step" {
  description = "What to run or open now."
  value = (var.enable_hosting
    ? "Open https://${aws_cloudfront_distribution.client[0].domain_name}/ ; check the stack with: make smoke URL=https://${aws_cloudfront_distribution.client[0].domain_name}/"
    : "No hosting (enable_hosting = false): serve client/ (without README.md, tsconfig.json) from any HTTPS static host with `terraform -chdir=infra output -raw client_config > config.json` next to index.html; check the API with: make smoke URL=${local.graphql_url}"
  )
}

output "function_names" {
  description = "Lambda function names by role (read, write, authorizer); each logs to /aws/lambda/<name>."
  value       = { for role, function in aws_lambda_function.function : role => function.function_name }
}

output "function_versions" {
  description = "The version each function's `live` alias serves (what AppSync calls), by role. Roll one back with: aws lambda update-alias --function-name <name> --name live --function-version <N>."
  value       = { for role, alias in aws_lambda_alias.live : role => alias.function_version }
}

output "table_name" {
  description = "Name of the DynamoDB table."
  value       = aws_dynamodb_table.main.name
}

output "web_acl_name" {
  description = "The API's WAF web ACL; its log group is aws-waf-logs-<web_acl_name>."
  value       = aws_wafv2_web_acl.api.name
}

output "alarm_topic_arn" {
  description = "The SNS topic every alarm notifies; subscribe more endpoints to it as you like."
  value       = aws_sns_topic.alarms.arn
}

output "anonymous_token" {
  description = "The public credential that may only call createUser (send it as the Authorization header). It never expires: not a key, a fixed string the authorizer knows (resolvers/authorizer.py)."
  value       = "anonymous"
}
