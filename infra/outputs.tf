output "graphql_url" {
  description = "HTTPS endpoint of the GraphQL API."
  value       = local.graphql_url
}

output "realtime_url" {
  description = "WebSocket endpoint of the API's subscriptions (AppSync realtime protocol)."
  value       = local.realtime_url
}

output "client_url" {
  description = "Where the browser client is served (CloudFront)."
  value       = "https://${aws_cloudfront_distribution.client.domain_name}/"
}

output "table_name" {
  description = "Name of the DynamoDB table."
  value       = aws_dynamodb_table.main.name
}

output "api_key" {
  description = "The public API key (also in the client's config.json); it can only call createUser."
  value       = aws_appsync_api_key.public.key
  sensitive   = true
}

output "api_key_expires" {
  description = "When the public API key expires; rotate it with `terraform apply -replace=aws_appsync_api_key.public`."
  value       = aws_appsync_api_key.public.expires
}
