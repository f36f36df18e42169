# The one table, with the original design's keys: items live under their parent's id (pid)
# and are found by their own id (cid) through the keys-only index cid_si.
resource "aws_dynamodb_table" "main" {
  #checkov:skip=CKV_AWS_119:Encrypted at rest with the AWS managed key (aws/dynamodb); a customer-managed KMS key adds cost and key-policy upkeep without protecting anonymous retro notes any further.
  name                        = var.name
  billing_mode                = "PAY_PER_REQUEST"
  hash_key                    = "pid"
  range_key                   = "cid"
  deletion_protection_enabled = var.table_deletion_protection

  attribute {
    name = "pid"
    type = "S"
  }

  attribute {
    name = "cid"
    type = "S"
  }

  global_secondary_index {
    name            = "cid_si"
    hash_key        = "cid"
    projection_type = "KEYS_ONLY"
  }

  point_in_time_recovery {
    enabled                 = true
    recovery_period_in_days = var.table_point_in_time_recovery_days
  }

  server_side_encryption {
    enabled = true
  }

  # Idempotency records carry `expires_at` (epoch seconds, a day after the write:
  # retro/store/records.py); DynamoDB deletes them after it, within a few days and at no cost,
  # so a deleted note's text kept in a record does not linger. Other items have no such
  # attribute and are never expired.
  ttl {
    attribute_name = "expires_at"
    enabled        = true
  }
}
