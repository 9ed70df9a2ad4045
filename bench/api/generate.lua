-- wrk: POST /api/codes/generate, a 300 px QR PNG of a typical URL, not saved.
wrk.method = "POST"
wrk.body = '{"type":"qr","data":"https://example.com/some/path?x=1","customization":{"size":300}}'
wrk.headers["Content-Type"] = "application/json"
