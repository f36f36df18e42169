terraform {
  required_version = ">= 1.7" # terraform test with mock providers (infra/tests)

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}
