/**
 * Metadata of every secrets rule: ids, severities, CWE/OWASP mappings, fix advice and examples, plus the
 * environment variable each provider's credential is conventionally read from (used to build fixes).
 * Examples use `<…>` placeholders so this file never looks like it holds a credential.
 */
import type { RuleMeta, Severity } from '../../types.js';

const AUTH_FAILURES = 'A07:2021-Identification and Authentication Failures';
const CRYPTO_FAILURES = 'A02:2021-Cryptographic Failures';

/** One provider-specific rule, before it is expanded into full metadata. */
interface ProviderSpec {
  /** The part after `secret.` */
  readonly id: string;
  /** Human name of the credential, e.g. "GitHub token". */
  readonly name: string;
  readonly severity: Severity;
  /** Environment variable the credential is conventionally read from. */
  readonly env: string;
  /** What an attacker gets with it. */
  readonly grants: string;
  /** Where to revoke or rotate it. */
  readonly revoke: string;
  /** A placeholder-shaped sample value for the documentation example. */
  readonly sample: string;
  readonly cwe?: readonly string[];
  readonly owasp?: readonly string[];
}

const SPECS: readonly ProviderSpec[] = [
  { id: 'aws-access-key-id', name: 'AWS access key id', severity: 'high', env: 'AWS_ACCESS_KEY_ID', grants: 'identifies an AWS IAM key pair; with its secret it grants the IAM user\'s permissions', revoke: 'deactivate the key in IAM and create a new one', sample: 'AKIA<16 chars>' },
  { id: 'aws-secret-access-key', name: 'AWS secret access key', severity: 'critical', env: 'AWS_SECRET_ACCESS_KEY', grants: 'signs AWS API requests with the permissions of the IAM user or role', revoke: 'deactivate the key pair in IAM, create a new one and review CloudTrail', sample: '<40 chars>' },
  { id: 'github-token', name: 'GitHub token', severity: 'critical', env: 'GITHUB_TOKEN', grants: 'acts on GitHub as the user or app (repositories, packages, workflows)', revoke: 'revoke it under Settings → Developer settings, or the app installation', sample: 'ghp_<36 chars>' },
  { id: 'github-fine-grained-token', name: 'GitHub fine-grained personal access token', severity: 'critical', env: 'GITHUB_TOKEN', grants: 'acts on the repositories and permissions it was granted', revoke: 'revoke it under Settings → Developer settings → Fine-grained tokens', sample: 'github_pat_<82 chars>' },
  { id: 'gitlab-token', name: 'GitLab token', severity: 'critical', env: 'GITLAB_TOKEN', grants: 'acts on GitLab projects, registries and pipelines with the token\'s scopes', revoke: 'revoke it under User settings → Access tokens (or the project/runner settings)', sample: 'glpat-<20 chars>' },
  { id: 'slack-token', name: 'Slack token', severity: 'high', env: 'SLACK_TOKEN', grants: 'reads and posts in the workspace as the bot or user', revoke: 'regenerate it in the Slack app configuration', sample: 'xoxb-<…>' },
  { id: 'slack-webhook', name: 'Slack incoming webhook URL', severity: 'medium', env: 'SLACK_WEBHOOK_URL', grants: 'posts messages into a channel (phishing from a trusted source)', revoke: 'remove the webhook in the Slack app configuration and create a new one', sample: 'https://hooks.slack.com/services/<T…>/<B…>/<24 chars>' },
  { id: 'stripe-secret-key', name: 'Stripe live secret or restricted key', severity: 'critical', env: 'STRIPE_SECRET_KEY', grants: 'moves money, issues refunds and reads customer data', revoke: 'roll the key in the Stripe dashboard (Developers → API keys)', sample: 'sk_live_<24+ chars>' },
  { id: 'stripe-webhook-secret', name: 'Stripe webhook signing secret', severity: 'high', env: 'STRIPE_WEBHOOK_SECRET', grants: 'forges webhook events that the application trusts as coming from Stripe', revoke: 'roll the endpoint\'s signing secret in the Stripe dashboard', sample: 'whsec_<32+ chars>' },
  { id: 'google-api-key', name: 'Google API key', severity: 'high', env: 'GOOGLE_API_KEY', grants: 'calls the Google APIs enabled for the project, billed to its owner', revoke: 'delete or restrict the key in Google Cloud console → Credentials', sample: 'AIza<35 chars>' },
  { id: 'google-service-account', name: 'Google Cloud service-account private key', severity: 'critical', env: 'GOOGLE_APPLICATION_CREDENTIALS', grants: 'authenticates as the service account with all its IAM roles', revoke: 'delete the key in IAM → Service accounts → Keys; prefer workload identity', sample: '-----BEGIN PRIVATE KEY-----<…>', owasp: [AUTH_FAILURES, CRYPTO_FAILURES] },
  { id: 'google-oauth-client-secret', name: 'Google OAuth client secret', severity: 'high', env: 'GOOGLE_CLIENT_SECRET', grants: 'impersonates the OAuth application to obtain user tokens', revoke: 'reset the client secret in Google Cloud console → Credentials', sample: 'GOCSPX-<28 chars>' },
  { id: 'google-oauth-token', name: 'Google OAuth access token', severity: 'high', env: 'GOOGLE_OAUTH_TOKEN', grants: 'calls Google APIs as the user who granted it until it expires', revoke: 'revoke it at myaccount.google.com or via the token revocation endpoint', sample: 'ya29.<…>' },
  { id: 'openai-api-key', name: 'OpenAI API key', severity: 'high', env: 'OPENAI_API_KEY', grants: 'spends the organisation\'s OpenAI credit and reads its files and assistants', revoke: 'revoke it at platform.openai.com → API keys', sample: 'sk-proj-<…>' },
  { id: 'anthropic-api-key', name: 'Anthropic API key', severity: 'high', env: 'ANTHROPIC_API_KEY', grants: 'spends the organisation\'s Anthropic credit', revoke: 'revoke it in the Anthropic console → API keys', sample: 'sk-ant-api03-<…>' },
  { id: 'huggingface-token', name: 'Hugging Face token', severity: 'high', env: 'HF_TOKEN', grants: 'reads private models and datasets and, with write scope, pushes to them', revoke: 'invalidate it at huggingface.co → Settings → Access Tokens', sample: 'hf_<34 chars>' },
  { id: 'azure-storage-key', name: 'Azure storage account key', severity: 'critical', env: 'AZURE_STORAGE_CONNECTION_STRING', grants: 'full control of every blob, queue, table and file share in the account', revoke: 'rotate the account key in the portal; prefer managed identities or SAS tokens', sample: 'AccountKey=<88 chars>' },
  { id: 'azure-ad-client-secret', name: 'Azure AD (Entra ID) client secret', severity: 'critical', env: 'AZURE_CLIENT_SECRET', grants: 'authenticates as the application registration with its API permissions', revoke: 'delete the secret under App registrations → Certificates & secrets', sample: '<3 chars>8Q~<34 chars>' },
  { id: 'twilio-api-key', name: 'Twilio API key', severity: 'high', env: 'TWILIO_API_KEY', grants: 'sends messages and calls billed to the account', revoke: 'delete the key in the Twilio console → API keys', sample: 'SK<32 hex>' },
  { id: 'twilio-auth-token', name: 'Twilio auth token', severity: 'critical', env: 'TWILIO_AUTH_TOKEN', grants: 'full access to the Twilio account', revoke: 'rotate the auth token in the Twilio console', sample: '<32 hex>' },
  { id: 'sendgrid-api-key', name: 'SendGrid API key', severity: 'high', env: 'SENDGRID_API_KEY', grants: 'sends email as the account\'s verified senders', revoke: 'delete the key in SendGrid → Settings → API Keys', sample: 'SG.<22 chars>.<43 chars>' },
  { id: 'mailgun-api-key', name: 'Mailgun API key', severity: 'high', env: 'MAILGUN_API_KEY', grants: 'sends email from the account\'s domains', revoke: 'rotate the key in Mailgun → API Security', sample: 'key-<32 hex>' },
  { id: 'mailchimp-api-key', name: 'Mailchimp API key', severity: 'high', env: 'MAILCHIMP_API_KEY', grants: 'reads audiences and sends campaigns', revoke: 'disable the key in Mailchimp → Account → Extras → API keys', sample: '<32 hex>-us<n>' },
  { id: 'npm-token', name: 'npm access token', severity: 'critical', env: 'NPM_TOKEN', grants: 'publishes packages as the user (a supply-chain attack)', revoke: 'revoke it with `npm token revoke` or on npmjs.com', sample: 'npm_<36 chars>' },
  { id: 'pypi-token', name: 'PyPI API token', severity: 'critical', env: 'PYPI_TOKEN', grants: 'uploads releases of the user\'s projects (a supply-chain attack)', revoke: 'remove it at pypi.org → Account settings → API tokens', sample: 'pypi-AgEIcHlwaS5vcmc<…>' },
  { id: 'dockerhub-token', name: 'Docker Hub personal access token', severity: 'high', env: 'DOCKERHUB_TOKEN', grants: 'pushes images to the user\'s repositories', revoke: 'delete it at hub.docker.com → Account settings → Security', sample: 'dckr_pat_<27 chars>' },
  { id: 'shopify-token', name: 'Shopify app token or shared secret', severity: 'high', env: 'SHOPIFY_ACCESS_TOKEN', grants: 'reads and changes the shop\'s orders, customers and products', revoke: 'rotate it in the Shopify partner dashboard or uninstall the custom app', sample: 'shpat_<32 hex>' },
  { id: 'telegram-bot-token', name: 'Telegram bot token', severity: 'high', env: 'TELEGRAM_BOT_TOKEN', grants: 'controls the bot: reads its chats and posts as it', revoke: 'revoke it with @BotFather (/revoke)', sample: '<bot id>:AA<33 chars>' },
  { id: 'discord-bot-token', name: 'Discord bot token', severity: 'high', env: 'DISCORD_BOT_TOKEN', grants: 'controls the bot in every server it has joined', revoke: 'reset the token in the Discord developer portal', sample: '<24 chars>.<6 chars>.<27+ chars>' },
  { id: 'discord-webhook', name: 'Discord webhook URL', severity: 'medium', env: 'DISCORD_WEBHOOK_URL', grants: 'posts messages into a channel', revoke: 'delete the webhook in the channel settings', sample: 'https://discord.com/api/webhooks/<id>/<token>' },
  { id: 'digitalocean-token', name: 'DigitalOcean token', severity: 'critical', env: 'DIGITALOCEAN_TOKEN', grants: 'creates and destroys droplets, volumes and databases', revoke: 'delete it in the DigitalOcean control panel → API', sample: 'dop_v1_<64 hex>' },
  { id: 'heroku-api-key', name: 'Heroku API key', severity: 'high', env: 'HEROKU_API_KEY', grants: 'deploys to and configures the user\'s apps, including their config vars', revoke: 'regenerate it in Heroku account settings or `heroku authorizations:revoke`', sample: 'HRKU-<60 chars>' },
  { id: 'datadog-api-key', name: 'Datadog API or application key', severity: 'high', env: 'DD_API_KEY', grants: 'submits and (with an application key) reads monitoring data', revoke: 'revoke it in Datadog → Organization settings → API/Application keys', sample: '<32 hex>' },
  { id: 'jwt', name: 'JSON Web Token', severity: 'medium', env: 'AUTH_TOKEN', grants: 'authenticates as its subject until it expires (often never)', revoke: 'rotate the signing key if the token does not expire, and issue tokens at runtime', sample: 'eyJ<…>.eyJ<…>.<signature>', cwe: ['CWE-798', 'CWE-522'] },
  { id: 'linear-api-key', name: 'Linear API key', severity: 'high', env: 'LINEAR_API_KEY', grants: 'reads and changes the workspace\'s issues', revoke: 'revoke it in Linear → Settings → API', sample: 'lin_api_<40 chars>' },
  { id: 'notion-token', name: 'Notion integration token', severity: 'high', env: 'NOTION_TOKEN', grants: 'reads and edits the pages shared with the integration', revoke: 'regenerate it at notion.so/my-integrations', sample: 'ntn_<46 chars>' },
  { id: 'atlassian-api-token', name: 'Atlassian API token', severity: 'high', env: 'ATLASSIAN_API_TOKEN', grants: 'acts as the user in Jira and Confluence', revoke: 'revoke it at id.atlassian.com → Security → API tokens', sample: 'ATATT3<…>' },
  { id: 'vault-token', name: 'HashiCorp Vault token', severity: 'critical', env: 'VAULT_TOKEN', grants: 'reads the secrets its policies allow — often all of them', revoke: 'revoke it with `vault token revoke`', sample: 'hvs.<…>' },
  { id: 'doppler-token', name: 'Doppler token', severity: 'critical', env: 'DOPPLER_TOKEN', grants: 'reads every secret of the project or config it is scoped to', revoke: 'revoke it in the Doppler dashboard', sample: 'dp.pt.<43 chars>' },
  { id: 'pulumi-token', name: 'Pulumi access token', severity: 'high', env: 'PULUMI_ACCESS_TOKEN', grants: 'reads stack state (including its secrets) and runs updates', revoke: 'delete it in Pulumi Cloud → Access tokens', sample: 'pul-<40 hex>' },
  { id: 'square-token', name: 'Square access token or application secret', severity: 'critical', env: 'SQUARE_ACCESS_TOKEN', grants: 'takes payments and reads customer data', revoke: 'revoke it in the Square developer dashboard', sample: 'sq0atp-<22 chars>' },
  { id: 'planetscale-token', name: 'PlanetScale password or token', severity: 'critical', env: 'PLANETSCALE_TOKEN', grants: 'reads and writes the database branch', revoke: 'delete the password or service token in PlanetScale', sample: 'pscale_pw_<43 chars>' },
  { id: 'supabase-key', name: 'Supabase access token or secret key', severity: 'critical', env: 'SUPABASE_ACCESS_TOKEN', grants: 'manages the projects, or bypasses row-level security with a secret key', revoke: 'revoke it in the Supabase dashboard', sample: 'sbp_<40 hex>' },
  { id: 'age-secret-key', name: 'age secret key', severity: 'critical', env: 'SOPS_AGE_KEY', grants: 'decrypts every file encrypted to its recipient (e.g. SOPS secrets)', revoke: 'generate a new key and re-encrypt the files', sample: 'AGE-SECRET-KEY-1<58 chars>', owasp: [CRYPTO_FAILURES], cwe: ['CWE-798', 'CWE-321'] },
  { id: 'sentry-token', name: 'Sentry auth token', severity: 'high', env: 'SENTRY_AUTH_TOKEN', grants: 'reads events (which carry user data) and uploads releases', revoke: 'revoke it in Sentry → Settings → Auth Tokens', sample: 'sntrys_<…>' },
  { id: 'sentry-dsn', name: 'Sentry DSN', severity: 'low', env: 'SENTRY_DSN', grants: 'sends events to the project (spam and quota exhaustion); it is semi-public in browser code', revoke: 'rotate the client key in the project settings if it is abused', sample: 'https://<32 hex>@o<n>.ingest.sentry.io/<n>' },
  { id: 'postman-api-key', name: 'Postman API key', severity: 'high', env: 'POSTMAN_API_KEY', grants: 'reads the workspace\'s collections and environments, which often hold more secrets', revoke: 'revoke it in Postman → Settings → API keys', sample: 'PMAK-<24 hex>-<34 hex>' },
  { id: 'grafana-token', name: 'Grafana service-account or Cloud token', severity: 'high', env: 'GRAFANA_TOKEN', grants: 'reads dashboards and data sources, or manages the Grafana Cloud stack', revoke: 'delete the token in Grafana', sample: 'glsa_<32 chars>_<8 hex>' },
  { id: 'newrelic-key', name: 'New Relic API key', severity: 'high', env: 'NEW_RELIC_API_KEY', grants: 'queries and changes the account\'s monitoring data', revoke: 'delete the key in New Relic → API keys', sample: 'NRAK-<27 chars>' },
  { id: 'terraform-cloud-token', name: 'Terraform Cloud / HCP token', severity: 'critical', env: 'TFE_TOKEN', grants: 'runs plans and applies and reads state (with its secrets)', revoke: 'delete it in Terraform Cloud → User settings → Tokens', sample: '<14 chars>.atlasv1.<…>' },
  { id: 'databricks-token', name: 'Databricks personal access token', severity: 'high', env: 'DATABRICKS_TOKEN', grants: 'reads and writes workspace data and runs jobs', revoke: 'revoke it in the workspace user settings', sample: 'dapi<32 hex>' },
  { id: 'flyio-token', name: 'Fly.io token', severity: 'high', env: 'FLY_API_TOKEN', grants: 'deploys and configures the organisation\'s apps', revoke: 'revoke it with `fly tokens revoke`', sample: 'fo1_<43 chars>' },
  { id: 'alibaba-access-key-id', name: 'Alibaba Cloud AccessKey id', severity: 'high', env: 'ALIBABA_CLOUD_ACCESS_KEY_ID', grants: 'identifies an Alibaba Cloud key pair', revoke: 'disable the AccessKey in the RAM console', sample: 'LTAI<20 chars>' },
  { id: 'netlify-token', name: 'Netlify personal access token', severity: 'high', env: 'NETLIFY_AUTH_TOKEN', grants: 'deploys and configures the user\'s sites', revoke: 'revoke it in Netlify → User settings → Applications', sample: 'nfp_<36 chars>' },
  { id: 'replicate-api-token', name: 'Replicate API token', severity: 'high', env: 'REPLICATE_API_TOKEN', grants: 'runs models billed to the account', revoke: 'revoke it at replicate.com/account', sample: 'r8_<37 chars>' },
  { id: 'groq-api-key', name: 'Groq API key', severity: 'high', env: 'GROQ_API_KEY', grants: 'spends the account\'s Groq credit', revoke: 'delete it in the Groq console', sample: 'gsk_<52 chars>' },
  { id: 'perplexity-api-key', name: 'Perplexity API key', severity: 'high', env: 'PERPLEXITY_API_KEY', grants: 'spends the account\'s Perplexity credit', revoke: 'delete it in Perplexity API settings', sample: 'pplx-<48 chars>' },
  { id: 'mapbox-secret-token', name: 'Mapbox secret access token', severity: 'high', env: 'MAPBOX_SECRET_TOKEN', grants: 'manages the account\'s styles, tilesets and tokens', revoke: 'delete it at account.mapbox.com → Access tokens', sample: 'sk.eyJ1<…>.<…>' },
  { id: 'dropbox-token', name: 'Dropbox access token', severity: 'high', env: 'DROPBOX_ACCESS_TOKEN', grants: 'reads and writes the user\'s or app folder\'s files', revoke: 'revoke the app\'s access in Dropbox settings → Connected apps', sample: 'sl.<130+ chars>' },
  { id: 'twitter-bearer-token', name: 'X (Twitter) API bearer token', severity: 'high', env: 'TWITTER_BEARER_TOKEN', grants: 'calls the X API as the app, spending its quota', revoke: 'regenerate it in the X developer portal', sample: 'AAAAAAAAAAAAAAAAAAAAA<…>' },
  { id: 'facebook-access-token', name: 'Meta (Facebook) access token', severity: 'high', env: 'FACEBOOK_ACCESS_TOKEN', grants: 'acts on Facebook/Instagram pages and ad accounts as the app or user', revoke: 'invalidate it in the Meta developer dashboard (or reset the app secret)', sample: 'EAA<100+ chars>' },
  { id: 'bitbucket-app-password', name: 'Bitbucket app password or API token', severity: 'high', env: 'BITBUCKET_APP_PASSWORD', grants: 'reads and pushes to the user\'s repositories', revoke: 'revoke it in Bitbucket → Personal settings → App passwords', sample: 'ATBB<32 chars>' },
  { id: 'figma-token', name: 'Figma personal access token', severity: 'medium', env: 'FIGMA_TOKEN', grants: 'reads the user\'s design files', revoke: 'revoke it in Figma → Settings → Personal access tokens', sample: 'figd_<40 chars>' },
  { id: 'tailscale-key', name: 'Tailscale auth or API key', severity: 'critical', env: 'TS_AUTHKEY', grants: 'joins machines to the tailnet or manages it', revoke: 'revoke the key in the Tailscale admin console → Keys', sample: 'tskey-auth-<…>' },
  { id: 'buildkite-token', name: 'Buildkite API access token', severity: 'high', env: 'BUILDKITE_API_TOKEN', grants: 'reads builds and logs and triggers pipelines', revoke: 'revoke it in Buildkite → Personal settings → API access tokens', sample: 'bkua_<40 hex>' },
  { id: 'contentful-token', name: 'Contentful management token', severity: 'high', env: 'CONTENTFUL_MANAGEMENT_TOKEN', grants: 'changes and publishes the space\'s content', revoke: 'revoke it in Contentful → Settings → CMA tokens', sample: 'CFPAT-<43 chars>' },
  { id: 'xai-api-key', name: 'xAI API key', severity: 'high', env: 'XAI_API_KEY', grants: 'spends the account\'s xAI credit', revoke: 'delete it in the xAI console', sample: 'xai-<80 chars>' },
  { id: 'openrouter-api-key', name: 'OpenRouter API key', severity: 'high', env: 'OPENROUTER_API_KEY', grants: 'calls any model OpenRouter routes to, billed to the account', revoke: 'delete it at openrouter.ai/settings/keys', sample: 'sk-or-v1-<64 hex>' },
  { id: 'langsmith-api-key', name: 'LangSmith API key', severity: 'high', env: 'LANGSMITH_API_KEY', grants: 'reads and writes the workspace\'s traces, which hold prompts, model outputs and the data in them', revoke: 'delete it in LangSmith → Settings → API keys', sample: 'lsv2_pt_<32 hex>_<10 hex>' },
  { id: 'sonarqube-token', name: 'SonarQube token', severity: 'high', env: 'SONAR_TOKEN', grants: 'reads analysed source code and findings and runs analyses', revoke: 'revoke it in SonarQube → My Account → Security', sample: 'squ_<40 hex>' },
  { id: 'rubygems-api-key', name: 'RubyGems API key', severity: 'critical', env: 'GEM_HOST_API_KEY', grants: 'publishes and yanks the owner\'s gems (a supply-chain foothold)', revoke: 'delete it at rubygems.org → Settings → API keys', sample: 'rubygems_<48 hex>' },
  { id: 'hubspot-token', name: 'HubSpot private app token', severity: 'high', env: 'HUBSPOT_ACCESS_TOKEN', grants: 'reads and changes the portal\'s CRM records within the app\'s scopes', revoke: 'rotate it in HubSpot → Settings → Private apps', sample: 'pat-na1-<uuid>' },
  { id: 'dynatrace-token', name: 'Dynatrace API token', severity: 'high', env: 'DT_API_TOKEN', grants: 'reads monitoring data and changes the environment\'s configuration within its scopes', revoke: 'revoke it in Dynatrace → Access tokens', sample: 'dt0c01.<24 chars>.<64 chars>' },
];

/** Conventional environment variable for each secrets rule (by full rule id). */
export const ENV_NAME: ReadonlyMap<string, string> = new Map(SPECS.map((s) => [`secret.${s.id}`, s.env]));

function providerRule(s: ProviderSpec): RuleMeta {
  const an = /^[AEIOU]/.test(s.name) ? 'An' : 'A';
  return {
    id: `secret.${s.id}`,
    category: 'secret',
    severity: s.severity,
    title: `Hard-coded ${s.name}`,
    description: `${an} ${s.name} is written into the source. Anyone who can read the repository, a build artefact or ` +
      `a log that echoes it ${s.grants}. Secrets in git history stay there after the line is deleted.`,
    cwe: s.cwe ?? ['CWE-798'],
    owasp: s.owasp ?? [AUTH_FAILURES],
    fix: `Treat it as leaked: ${s.revoke}. Then read the new value at runtime, e.g. from the ${s.env} environment ` +
      'variable or a secret manager, and keep it out of version control.',
    examples: [{ language: 'javascript', bad: `const key = "${s.sample}";`, good: `const key = process.env.${s.env};` }],
  };
}

const GENERIC: readonly RuleMeta[] = [
  {
    id: 'secret.private-key',
    category: 'secret',
    severity: 'critical',
    title: 'Private key in source',
    description: 'A PEM, OpenSSH or PGP private key block is written into the file. Whoever holds it can decrypt ' +
      'traffic or data meant for its owner, sign as the owner, or log in wherever its public key is trusted.',
    cwe: ['CWE-321', 'CWE-798'],
    owasp: [CRYPTO_FAILURES, AUTH_FAILURES],
    fix: 'Treat the key as compromised: generate a new key pair and replace the public key wherever it is trusted. ' +
      'Load the private key at runtime from a file outside the repository (mode 0600), a secret manager or an agent.',
    examples: [{ language: 'plaintext', bad: '-----BEGIN OPENSSH PRIVATE KEY-----\n<base64>\n-----END OPENSSH PRIVATE KEY-----' }],
  },
  {
    id: 'secret.database-url-password',
    category: 'secret',
    severity: 'high',
    title: 'Password in a database or broker connection URL',
    description: 'A connection URL (postgres, mysql, mongodb, redis, amqp…) carries its password. It gives direct ' +
      'access to the data store to anyone who reads the repository or the logs that print the URL.',
    cwe: ['CWE-798', 'CWE-522'],
    owasp: [AUTH_FAILURES],
    fix: 'Change the database password, then build the URL at runtime from an environment variable (e.g. ' +
      'DATABASE_URL) or pass the password separately from a secret manager.',
    examples: [{ language: 'yaml', bad: 'url: postgres://app:<password>@db:5432/app', good: 'url: ${DATABASE_URL}' }],
  },
  {
    id: 'secret.url-basic-auth',
    category: 'secret',
    severity: 'high',
    title: 'Credentials embedded in an http(s) URL',
    description: 'A URL of the form https://user:password@host carries a password. URLs are logged by proxies, ' +
      'browsers and tools, and the credential is readable by anyone with the repository.',
    cwe: ['CWE-798', 'CWE-522'],
    owasp: [AUTH_FAILURES],
    fix: 'Rotate the password, remove it from the URL and send credentials in an Authorization header built from ' +
      'a value read at runtime.',
    examples: [{ language: 'javascript', bad: 'fetch("https://deploy:<password>@example.com/hook")', good: 'fetch(url, { headers: { authorization } })' }],
  },
  {
    id: 'secret.generic-assignment',
    category: 'secret',
    severity: 'medium',
    title: 'Hard-coded password or secret',
    description: 'A variable, key or setting named like a password, secret, token or API key is given a literal ' +
      'value that looks like a real credential (by length, character mix and entropy). Credentials in source ' +
      'end up in every clone, fork, build and backup.',
    cwe: ['CWE-798', 'CWE-259'],
    owasp: [AUTH_FAILURES],
    fix: 'Rotate the credential, then read it at runtime from an environment variable or a secret manager. The ' +
      'quick fix replaces the literal with an environment-variable read named after the setting.',
    examples: [{ language: 'python', bad: 'db_password = "<password>"', good: 'db_password = os.environ["DB_PASSWORD"]' }],
  },
];

/** Every secrets rule, provider rules first. */
export const SECRET_RULES: readonly RuleMeta[] = [...SPECS.map(providerRule), ...GENERIC];
