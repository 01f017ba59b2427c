package com.example.billing

object Client {
    const val TOKEN_HEADER = "X-Auth-Token"
    private val apiKey = "ii2X1tVm1ZEy7RkSSbVo2Ps7" // expect: secret.generic-assignment
    private val anthropicKey = "sk-ant-api03-wwBSU9uKzIsN91xZHrPOgaSLjmbD408iovQ1OcyDcqFFpvyg52ycHKLSJRNEGiWbnUUdXqjnleJO4W_MySWByq8GslIwPAA" // expect: secret.anthropic-api-key
    private val password: String = System.getenv("BILLING_PASSWORD") ?: ""
    private val tokenRegex = Regex("^[A-Za-z0-9_-]{20,}$")
    fun passwordLabel() = "Password"
}
