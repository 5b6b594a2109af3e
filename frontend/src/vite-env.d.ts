/// <reference types="vite/client" />

interface AppConfig {
  /** Base URL of the HTTP API, e.g. "https://api.example.com/api". No trailing slash needed. */
  apiBaseUrl?: string;
}

interface Window {
  __APP_CONFIG__?: AppConfig;
}
