# The API key's expiry on a fresh stack (its own state: in stack.tftest.hcl the key already
# exists, and an existing key's expiry deliberately never moves).

mock_provider "aws" {
  source = "./tests/mocks"
}

run "api_key_expiry_follows_the_variable" {
  command = plan

  variables {
    api_key_expiry_days = 7
  }

  assert {
    condition = (
      timecmp(aws_appsync_api_key.public.expires, timeadd(plantimestamp(), "168h")) == 0
    )
    error_message = "With api_key_expiry_days = 7 the key must expire 7 days after it is created."
  }
}
