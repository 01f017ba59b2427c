# Rails production configuration
Rails.application.configure do
  config.secret_key_base = "9a98b4d42115b9e373e5603ab79d5441650bd0144c6c31ad508ed4c8b45fcb103cea3bb136b50030c9b5372b45f21283e2579c85b493465e5fe52852f0385594" # expect: secret.generic-assignment
  config.active_record.encryption.primary_key = ENV.fetch("AR_PRIMARY_KEY")
  config.action_mailer.smtp_settings = {
    address: "smtp.sendgrid.net",
    user_name: "apikey",
    password: "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", # expect: secret.sendgrid-api-key
    authentication: :plain,
  }
  config.x.github_token = ENV["GITHUB_TOKEN"]
  config.x.password_min_length = 12
end

Stripe.api_key = "sk_live_BTTKREo0lz9bdncPIpySlXrZ0WkxPLQC" # expect: secret.stripe-secret-key
Stripe.api_version = "2024-06-20"
