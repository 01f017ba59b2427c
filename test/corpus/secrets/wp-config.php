<?php
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'AqCPw6cZP6#6picBM' ); // expect: secret.generic-assignment
define( 'DB_HOST', 'localhost' );
define( 'AUTH_KEY',         'put your unique phrase here' );
define( 'SECURE_AUTH_KEY',  'put your unique phrase here' );
define( 'LOGGED_IN_KEY', 'uv3Tr1p4q+g6GcAcKmnu2p0Zs917a9PsHT!MVgkOFEyl+XL9p7Px+ljJ6Eh7hHUF' ); // expect: secret.generic-assignment
$table_prefix = 'wp_';
$config = [
    'mailer_password' => getenv('MAILER_PASSWORD'),
    'api_token' => 'Z15dbQZtJt2HA1R23ZOoEaqrUtoZnbtgJzu0QaEU', // expect: secret.generic-assignment
    'password_reset_ttl' => 3600,
];
