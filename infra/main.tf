provider "aws" {
  region = var.region

  default_tags {
    tags = merge({ Application = "retro", Stack = var.name }, var.tags)
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  # The resolver map is the contract shared with the Python handler and the local server:
  # functions (Lambda), the authorizer, and which function resolves each "Type.field".
  resolver_map = jsondecode(file("${path.module}/../schema/resolvers.json"))

  # Every Lambda function: the resolver functions plus the authorizer, keyed by name.
  functions = merge(local.resolver_map.functions, { authorizer = local.resolver_map.authorizer })

  package_dir = coalesce(var.package_dir, "${path.module}/../dist")
  client_dir  = coalesce(var.client_dir, "${path.module}/../client")

  # What `python -m retro_tools.packaging` built; checked against lambda_architecture/lambda_runtime.
  build = jsondecode(file("${local.package_dir}/build.json"))

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
}
