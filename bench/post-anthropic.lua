-- wrk: a non-streaming Anthropic Messages request, which the relay translates for the OpenAI
-- upstream and back.
wrk.method = "POST"
wrk.body = '{"model":"bench","max_tokens":256,"messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["anthropic-version"] = "2023-06-01"
wrk.headers["x-api-key"] = os.getenv("BENCH_KEY") or "none"
