# Published versions behind a `live` alias, with SnapStart off (the default) and on: AppSync's
# data sources, their roles' permissions and the Lambda authorizer all reach the functions
# through the alias, never through $LATEST.
#
# The last two runs read ../dist-python3.11: the package of ../dist described as built for
# Python 3.11, so that only the SnapStart check can refuse the plan. tests/infra/
# test_terraform.py writes it; by hand, from infra/:
#   mkdir -p ../dist-python3.11 && cp ../dist/*.zip ../dist-python3.11/ &&
#   sed 's/"pythonVersion": "3.12"/"pythonVersion": "3.11"/' ../dist/build.json > ../dist-python3.11/build.json

mock_provider "aws" {
  source = "./tests/mocks"
}

# A distinct ARN for each alias (the mocks give every alias the same one), so the assertions
# below tell a data source wired to its own function from one wired to another.
override_resource {
  target = aws_lambda_alias.live["read"]
  values = { arn = "arn:aws:lambda:us-east-1:123456789012:function:retro-read:live" }
}

override_resource {
  target = aws_lambda_alias.live["write"]
  values = { arn = "arn:aws:lambda:us-east-1:123456789012:function:retro-write:live" }
}

override_resource {
  target = aws_lambda_alias.live["authorizer"]
  values = { arn = "arn:aws:lambda:us-east-1:123456789012:function:retro-authorizer:live" }
}

run "versions_behind_a_live_alias_without_snapstart" {
  command = apply

  assert {
    condition     = alltrue([for f in aws_lambda_function.function : f.publish && length(f.snap_start) == 0])
    error_message = "By default every function must publish its versions, without SnapStart."
  }

  assert {
    condition = (
      toset(keys(aws_lambda_alias.live)) == toset(keys(aws_lambda_function.function))
      && length(distinct([for a in aws_lambda_alias.live : a.arn])) == length(aws_lambda_alias.live)
      && alltrue([for name, a in aws_lambda_alias.live :
        a.name == "live"
        && a.function_name == aws_lambda_function.function[name].function_name
        && a.function_version == aws_lambda_function.function[name].version
      ])
    )
    error_message = "Each function must have a live alias on its newest published version."
  }

  assert {
    condition = alltrue([for name, ds in aws_appsync_datasource.function :
      ds.lambda_config[0].function_arn == aws_lambda_alias.live[name].arn
      && jsondecode(aws_iam_role_policy.datasource[name].policy).Statement[0].Resource == aws_lambda_alias.live[name].arn
    ])
    error_message = "Each data source must call its function's live alias, and its role may invoke only that alias."
  }

  assert {
    condition = (
      aws_appsync_graphql_api.main.lambda_authorizer_config[0].authorizer_uri == aws_lambda_alias.live["authorizer"].arn
      && aws_lambda_permission.authorizer.function_name == aws_lambda_function.function["authorizer"].function_name
      && aws_lambda_permission.authorizer.qualifier == aws_lambda_alias.live["authorizer"].name
    )
    error_message = "AppSync must call the authorizer's live alias, with the permission on that alias."
  }

  assert {
    condition     = output.function_versions == { for name, a in aws_lambda_alias.live : name => a.function_version }
    error_message = "function_versions must give the version each live alias serves (for a rollback)."
  }
}

run "snapstart_snapshots_the_published_versions_behind_the_alias" {
  command = apply

  variables {
    lambda_snapstart = true
  }

  assert {
    condition = alltrue([for f in aws_lambda_function.function :
      f.publish && length(f.snap_start) == 1 && f.snap_start[0].apply_on == "PublishedVersions"
    ])
    error_message = "lambda_snapstart = true must turn SnapStart on for the published versions of every function."
  }

  assert {
    condition = alltrue([for name, a in aws_lambda_alias.live :
      a.name == "live" && a.function_version == aws_lambda_function.function[name].version
    ])
    error_message = "With SnapStart each function's live alias must serve its newest published (snapshotted) version."
  }

  assert {
    condition = alltrue([for name, ds in aws_appsync_datasource.function :
      ds.lambda_config[0].function_arn == aws_lambda_alias.live[name].arn
      && jsondecode(aws_iam_role_policy.datasource[name].policy).Statement[0].Resource == aws_lambda_alias.live[name].arn
    ])
    error_message = "With SnapStart the data sources must still call the live aliases: $LATEST is never snapshotted."
  }

  assert {
    condition = (
      aws_appsync_graphql_api.main.lambda_authorizer_config[0].authorizer_uri == aws_lambda_alias.live["authorizer"].arn
      && aws_lambda_permission.authorizer.qualifier == aws_lambda_alias.live["authorizer"].name
    )
    error_message = "With SnapStart AppSync must call the authorizer's live alias."
  }
}

run "snapstart_is_refused_before_python_3_12" {
  command = plan

  variables {
    package_dir      = "../dist-python3.11"
    lambda_runtime   = "python3.11"
    lambda_snapstart = true
  }

  expect_failures = [aws_lambda_function.function]
}

# The run above is refused for SnapStart alone: the same package and runtime without it plan.
run "python_3_11_without_snapstart_is_accepted" {
  command = plan

  variables {
    package_dir    = "../dist-python3.11"
    lambda_runtime = "python3.11"
  }

  assert {
    condition     = alltrue([for f in aws_lambda_function.function : f.runtime == "python3.11" && length(f.snap_start) == 0])
    error_message = "Without SnapStart a Python 3.11 package must plan as before."
  }
}
