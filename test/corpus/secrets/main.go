package main

import (
	"net/http"
	"os"
)

const tokenHeader = "X-Api-Token"

var clientSecret = "RXzd94uHr7hfkATYSl0mvzytmKRaHAAY0jjU" // expect: secret.generic-assignment

type Config struct {
	Password string `json:"password"`
	APIKey   string `json:"api_key" env:"API_KEY"`
}

func main() {
	token := os.Getenv("API_TOKEN")
	apiKey := "sk-proj-mMqkvTaaYj_8o3myeSjFCZrS3IoZn16oaWZ5ziPeK4lOSu04iAiRKmet3ixPJNYt" // expect: secret.openai-api-key
	req, _ := http.NewRequest("GET", "https://api.example.com/v1/me", nil)
	req.Header.Set(tokenHeader, token)
	req.Header.Set("Authorization", "Bearer "+apiKey)
	_ = clientSecret
}
