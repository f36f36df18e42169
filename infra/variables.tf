variable "name" {
  description = "Name of this deployment: the table, functions, API, roles and bucket are named after it. Use a different name for each stack in one AWS account (IAM role names are account-wide)."
  type        = string
  default     = "retro"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,28}$", var.name))
    error_message = "name must be 3-29 characters (the bucket prefix allows no more): lowercase letters, digits and '-', starting with a letter."
  }
}

variable "region" {
  description = "AWS region for the table, functions and API. The CloudFront distribution is global."
  type        = string
  default     = "us-east-1"
}

variable "tags" {
  description = "Tags added to every resource (through the provider's default_tags)."
  type        = map(string)
  default     = {}
}

# --- DynamoDB -------------------------------------------------------------------------------

variable "table_deletion_protection" {
  description = "Refuse to delete the table (DynamoDB deletion protection). Set to false and apply before `terraform destroy`."
  type        = bool
  default     = true
}

variable "table_point_in_time_recovery_days" {
  description = "How many days back point-in-time recovery can restore the table to (1-35)."
  type        = number
  default     = 35

  validation {
    condition     = var.table_point_in_time_recovery_days >= 1 && var.table_point_in_time_recovery_days <= 35
    error_message = "table_point_in_time_recovery_days must be between 1 and 35."
  }
}

# --- Lambda ---------------------------------------------------------------------------------

variable "package_dir" {
  description = "Folder holding the packaged functions (<function>.zip and build.json, written by `make package`). Defaults to ../dist next to this folder."
  type        = string
  default     = null
}

variable "lambda_architecture" {
  description = "Instruction set of the functions: x86_64 or arm64. Must match the architecture the package was built for (`python -m retro_tools.packaging --arch ...`)."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.lambda_architecture)
    error_message = "lambda_architecture must be x86_64 or arm64."
  }
}

variable "lambda_runtime" {
  description = "Lambda runtime of the functions. Must match the Python version the package was built for."
  type        = string
  default     = "python3.12"

  validation {
    condition     = can(regex("^python3\\.[0-9]+$", var.lambda_runtime))
    error_message = "lambda_runtime must look like python3.12."
  }
}

variable "lambda_snapstart" {
  description = "Lambda SnapStart on the functions' published versions (Python 3.12 or later): Lambda imports the handlers once per published version, snapshots the initialized environment, and starts each cold environment from that snapshot. For Python it costs extra — snapshot caching for every published version while it exists, and a restore charge per cold start — and each apply that publishes takes longer. AppSync calls the functions through their `live` alias either way. See docs/DEPLOY.md."
  type        = bool
  default     = false
}

variable "lambda_memory_mb" {
  description = "Memory of each function in MB; Lambda gives CPU in proportion, so more memory also means faster cold starts."
  type        = number
  default     = 512

  validation {
    condition     = var.lambda_memory_mb >= 128 && var.lambda_memory_mb <= 10240
    error_message = "lambda_memory_mb must be between 128 and 10240."
  }
}

variable "lambda_timeout_seconds" {
  description = "Timeout of each function in seconds; below AppSync's 30 s limit so a slow call fails as itself."
  type        = number
  default     = 10

  validation {
    condition     = var.lambda_timeout_seconds >= 1 && var.lambda_timeout_seconds < 30
    error_message = "lambda_timeout_seconds must be between 1 and 29 (AppSync gives up after 30 s)."
  }
}

variable "lambda_reserved_concurrency" {
  description = "Concurrent executions reserved for (and capped at) each function. null (the default; -1 means the same) reserves nothing: the functions share the account's unreserved pool. Reserving is refused when it would leave the account fewer than 100 unreserved executions, and new accounts often have a quota of only 10 in all, so set a number only once Service Quotas shows room for it (3 functions x the number + 100); it then caps each function's cost and the load a flood can put on the table."
  type        = number
  default     = null

  validation {
    condition     = coalesce(var.lambda_reserved_concurrency, -1) == -1 || coalesce(var.lambda_reserved_concurrency, -1) >= 1
    error_message = "lambda_reserved_concurrency must be null or -1 (no reservation) or at least 1."
  }
}

variable "log_level" {
  description = "Level of the functions' JSON log lines (RETRO_LOG_LEVEL)."
  type        = string
  default     = "INFO"

  validation {
    condition     = contains(["DEBUG", "INFO", "WARNING", "ERROR"], var.log_level)
    error_message = "log_level must be DEBUG, INFO, WARNING or ERROR."
  }
}

variable "log_retention_days" {
  description = "Days to keep function, API and WAF logs. Kept short on purpose: logs of an anonymous board should not outlive their use."
  type        = number
  default     = 14

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

# --- AppSync --------------------------------------------------------------------------------

variable "query_depth_limit" {
  description = "Deepest nesting a query may have (1-75). The board page needs 4."
  type        = number
  default     = 8

  validation {
    condition     = var.query_depth_limit >= 1 && var.query_depth_limit <= 75
    error_message = "query_depth_limit must be between 1 and 75."
  }
}

variable "resolver_count_limit" {
  description = "Most resolver invocations one request may cause (1-10000)."
  type        = number
  default     = 100

  validation {
    condition     = var.resolver_count_limit >= 1 && var.resolver_count_limit <= 10000
    error_message = "resolver_count_limit must be between 1 and 10000."
  }
}

variable "introspection_enabled" {
  description = "Whether the API answers introspection queries (GraphiQL, code generators). The schema is public in this repository, so it is on by default."
  type        = bool
  default     = true
}

# --- WAF ------------------------------------------------------------------------------------

variable "waf_rate_limit" {
  description = "Requests one IP address may send to the API per evaluation window before WAF blocks it (at least 10)."
  type        = number
  default     = 1000

  validation {
    condition     = var.waf_rate_limit >= 10 && var.waf_rate_limit <= 2000000000
    error_message = "waf_rate_limit must be at least 10."
  }
}

variable "waf_rate_window_seconds" {
  description = "The window the rate limit counts over: 60, 120, 300 or 600 seconds."
  type        = number
  default     = 300

  validation {
    condition     = contains([60, 120, 300, 600], var.waf_rate_window_seconds)
    error_message = "waf_rate_window_seconds must be 60, 120, 300 or 600."
  }
}

# --- Client hosting -------------------------------------------------------------------------

variable "enable_hosting" {
  description = "Serve the browser client from this stack (a private S3 bucket behind CloudFront). false creates neither: new AWS accounts may be refused a CloudFront distribution until AWS has verified them, and the API works without it. The client_config output is then the config.json to put next to client/ on any HTTPS static host."
  type        = bool
  default     = true
}

variable "client_dir" {
  description = "Folder of the browser client's static files, uploaded as they are. Defaults to ../client next to this folder."
  type        = string
  default     = null
}

variable "cloudfront_price_class" {
  description = "CloudFront price class: which edge locations serve the client."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_All", "PriceClass_200", "PriceClass_100"], var.cloudfront_price_class)
    error_message = "cloudfront_price_class must be PriceClass_All, PriceClass_200 or PriceClass_100."
  }
}

# --- Alarms ---------------------------------------------------------------------------------

variable "alarm_email" {
  description = "E-mail address the alarms notify (through the SNS topic of alarm_topic_arn). AWS mails a confirmation link first; nothing arrives until it is clicked. Empty: no subscription (subscribe to the topic yourself, or just watch the alarms in CloudWatch)."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be empty or an e-mail address."
  }
}

variable "alarm_function_errors" {
  description = "Errors of one function within 5 minutes that raise its alarm. Lambda counts every error the API answers with (a mistyped id, a note over the limit) as a function error, not only crashes and timeouts, so a few are normal during meetings."
  type        = number
  default     = 10

  validation {
    condition     = var.alarm_function_errors >= 1
    error_message = "alarm_function_errors must be at least 1."
  }
}

variable "alarm_api_latency_ms" {
  description = "Average AppSync latency (ms) that raises the latency alarm when it lasts 15 minutes. A board page takes one function call and 3 sequential DynamoDB requests: well under 200 ms when warm."
  type        = number
  default     = 1000

  validation {
    condition     = var.alarm_api_latency_ms >= 50
    error_message = "alarm_api_latency_ms must be at least 50."
  }
}

variable "alarm_waf_blocked_requests" {
  description = "Requests the web ACL blocks within 5 minutes that raise the WAF alarm: someone is over the rate limit (waf_rate_limit) or sending known-bad input."
  type        = number
  default     = 100

  validation {
    condition     = var.alarm_waf_blocked_requests >= 1
    error_message = "alarm_waf_blocked_requests must be at least 1."
  }
}
