# The browser client: its static files in a private S3 bucket, served only through CloudFront
# (origin access control), over HTTPS, with strict security headers. config.json, which tells
# the client where the API is, is written here from the API's own outputs.
#
# All of it exists only with enable_hosting (count/for_each below): a new account may be
# refused a CloudFront distribution until AWS verifies it, and the API needs none of this.

locals {
  hosting = var.enable_hosting ? 1 : 0

  # Files in client/ for the people working on it, not for browsers: never made public.
  client_dev_files = ["README.md", "tsconfig.json"]

  # Client files uploaded as they are (no build step). A config.json in the folder is the
  # local server's concern; the deployed one is written below.
  client_files = var.enable_hosting ? toset([
    for file in fileset(local.client_dir, "**") : file
    if !contains(concat(["config.json"], local.client_dev_files), file) && !anytrue([for part in split("/", file) : startswith(part, ".")])
  ]) : toset([])

  content_types = {
    css         = "text/css; charset=utf-8"
    html        = "text/html; charset=utf-8"
    ico         = "image/x-icon"
    js          = "text/javascript; charset=utf-8"
    json        = "application/json"
    map         = "application/json"
    mjs         = "text/javascript; charset=utf-8"
    png         = "image/png"
    svg         = "image/svg+xml"
    txt         = "text/plain; charset=utf-8"
    webmanifest = "application/manifest+json"
    woff2       = "font/woff2"
  }

  # The page may talk to its own origin and to the API's two endpoints, nothing else.
  api_origins = join(" ", [
    for url in [local.graphql_url, local.realtime_url] : regex("^[a-z]+://[^/]+", url)
  ])
}

# Before enable_hosting these resources had no count: existing stacks keep them as they are.
moved {
  from = aws_s3_bucket.client
  to   = aws_s3_bucket.client[0]
}

moved {
  from = aws_s3_bucket_public_access_block.client
  to   = aws_s3_bucket_public_access_block.client[0]
}

moved {
  from = aws_s3_bucket_ownership_controls.client
  to   = aws_s3_bucket_ownership_controls.client[0]
}

moved {
  from = aws_s3_bucket_versioning.client
  to   = aws_s3_bucket_versioning.client[0]
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.client
  to   = aws_s3_bucket_server_side_encryption_configuration.client[0]
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.client
  to   = aws_s3_bucket_lifecycle_configuration.client[0]
}

moved {
  from = aws_s3_bucket_policy.client
  to   = aws_s3_bucket_policy.client[0]
}

moved {
  from = aws_s3_object.config
  to   = aws_s3_object.config[0]
}

moved {
  from = aws_cloudfront_origin_access_control.client
  to   = aws_cloudfront_origin_access_control.client[0]
}

moved {
  from = aws_cloudfront_function.spa_fallback
  to   = aws_cloudfront_function.spa_fallback[0]
}

moved {
  from = aws_cloudfront_response_headers_policy.client
  to   = aws_cloudfront_response_headers_policy.client[0]
}

moved {
  from = aws_cloudfront_distribution.client
  to   = aws_cloudfront_distribution.client[0]
}

resource "aws_s3_bucket" "client" {
  #checkov:skip=CKV_AWS_18:CloudFront is the only reader; its metrics cover access, and access logs of anonymous users are not kept.
  #checkov:skip=CKV_AWS_144:The bucket holds a copy of client/ from this repository; Terraform re-creates it anywhere, replication adds nothing.
  #checkov:skip=CKV_AWS_145:Public static files (HTML, JS, CSS): SSE-S3 encryption at rest is enough, a KMS key would add cost and CloudFront key policy upkeep.
  #checkov:skip=CKV2_AWS_62:No process reacts to uploads; event notifications would have no consumer.
  count = local.hosting

  bucket_prefix = "${var.name}-client-"
  # Only build output lives here (re-uploaded by every apply), so destroy may empty it.
  force_destroy = true
}

resource "aws_s3_bucket_public_access_block" "client" {
  count = local.hosting

  bucket                  = aws_s3_bucket.client[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "client" {
  count = local.hosting

  bucket = aws_s3_bucket.client[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "client" {
  count = local.hosting

  bucket = aws_s3_bucket.client[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "client" {
  count = local.hosting

  bucket = aws_s3_bucket.client[0].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# Old versions are kept long enough to roll a bad deploy back by hand, then expire.
resource "aws_s3_bucket_lifecycle_configuration" "client" {
  count = local.hosting

  bucket = aws_s3_bucket.client[0].id

  rule {
    id     = "expire-replaced-files"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.client]
}

# Only this distribution may read, and only over TLS.
resource "aws_s3_bucket_policy" "client" {
  count = local.hosting

  bucket = aws_s3_bucket.client[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "CloudFrontReads"
        Effect    = "Allow"
        Principal = { Service = "cloudfront.amazonaws.com" }
        Action    = "s3:GetObject"
        Resource  = "${aws_s3_bucket.client[0].arn}/*"
        Condition = { StringEquals = { "AWS:SourceArn" = aws_cloudfront_distribution.client[0].arn } }
      },
      {
        Sid       = "TlsOnly"
        Effect    = "Deny"
        Principal = "*"
        Action    = "s3:*"
        Resource  = [aws_s3_bucket.client[0].arn, "${aws_s3_bucket.client[0].arn}/*"]
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })

  depends_on = [aws_s3_bucket_public_access_block.client]
}

resource "aws_s3_object" "client" {
  for_each = local.client_files

  bucket       = aws_s3_bucket.client[0].id
  key          = each.value
  source       = "${local.client_dir}/${each.value}"
  source_hash  = filemd5("${local.client_dir}/${each.value}")
  content_type = lookup(local.content_types, lower(element(split(".", each.value), length(split(".", each.value)) - 1)), "application/octet-stream")
  # File names carry no content hash (no build step), so browsers must revalidate each time;
  # the ETag makes that a cheap 304.
  cache_control = "no-cache"
}

resource "aws_s3_object" "config" {
  count = local.hosting

  bucket        = aws_s3_bucket.client[0].id
  key           = "config.json"
  content       = local.client_config
  content_type  = "application/json"
  cache_control = "no-cache"
}

# --- CloudFront -----------------------------------------------------------------------------

resource "aws_cloudfront_origin_access_control" "client" {
  count = local.hosting

  name                              = "${var.name}-client"
  description                       = "CloudFront signs its requests to the ${var.name} client bucket."
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# SPA fallback: a path without a file extension is a client-side route, so it gets the app's
# index.html; a missing file (/js/missing.js) stays an error instead of HTML served as script.
resource "aws_cloudfront_function" "spa_fallback" {
  count = local.hosting

  name    = "${var.name}-spa-fallback"
  runtime = "cloudfront-js-2.0"
  comment = "Serve index.html for client-side routes."
  publish = true
  code    = <<-EOT
    function handler(event) {
      var request = event.request;
      if (!/\.[A-Za-z0-9]+$/.test(request.uri)) {
        request.uri = "/index.html";
      }
      return request;
    }
  EOT
}

resource "aws_cloudfront_response_headers_policy" "client" {
  count = local.hosting

  name    = "${var.name}-client"
  comment = "Security headers of the ${var.name} client."

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    # Board links are capabilities: never send them to another site.
    referrer_policy {
      referrer_policy = "no-referrer"
      override        = true
    }

    # The page's own <meta> policy, narrowed to this API's endpoints, plus what only a header
    # can say (frame-ancestors).
    content_security_policy {
      content_security_policy = "default-src 'self'; connect-src 'self' ${local.api_origins}; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
      override                = true
    }
  }
}

# AWS's managed "CachingOptimized" policy: cache by path only, compress, honour Cache-Control.
data "aws_cloudfront_cache_policy" "caching_optimized" {
  count = local.hosting

  name = "Managed-CachingOptimized"
}

resource "aws_cloudfront_distribution" "client" {
  #checkov:skip=CKV_AWS_68:The distribution serves public static files only; the API, where requests cost money and touch data, has its own WAF (waf.tf).
  #checkov:skip=CKV2_AWS_47:Same as CKV_AWS_68: no WAF on the static client, so no Log4j rule on it; the API's WAF has the known-bad-inputs group.
  #checkov:skip=CKV_AWS_86:Access logs of anonymous visitors are not kept on purpose; CloudFront metrics show traffic.
  #checkov:skip=CKV_AWS_310:A single S3 origin in one region; a failover origin would be a second copy of the same files for a static page.
  #checkov:skip=CKV_AWS_374:Retro is for teams anywhere; there is no country to block.
  #checkov:skip=CKV_AWS_174:Uses the default *.cloudfront.net certificate, whose TLS policy AWS sets; choosing TLSv1.2_2021 needs a custom domain and ACM certificate, which this stack does not require.
  #checkov:skip=CKV2_AWS_42:Same as CKV_AWS_174: no custom domain, so the default certificate.
  count = local.hosting

  enabled             = true
  comment             = "${var.name} client"
  default_root_object = "index.html"
  is_ipv6_enabled     = true
  http_version        = "http2and3"
  price_class         = var.cloudfront_price_class

  origin {
    origin_id                = "client"
    domain_name              = aws_s3_bucket.client[0].bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.client[0].id
  }

  default_cache_behavior {
    target_origin_id           = "client"
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_optimized[0].id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.client[0].id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.spa_fallback[0].arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
