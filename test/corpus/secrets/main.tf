provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAMC4NZS2K6TNVHIQ3" # expect: secret.aws-access-key-id
  secret_key = "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" # expect: secret.aws-secret-access-key
}

resource "aws_db_instance" "main" {
  engine         = "postgres"
  username       = "app"
  password       = var.db_password
  instance_class = "db.t3.micro"
}

resource "random_password" "db" {
  length  = 32
  special = true
}

variable "db_password" {
  type      = string
  sensitive = true
}

resource "datadog_monitor" "cpu" {
  name = "High CPU"
}

provider "github" {
  token = "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" # expect: secret.github-token
}
