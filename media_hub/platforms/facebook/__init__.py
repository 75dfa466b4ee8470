"""Facebook Page videos: Meta's Graph API (Resumable Upload API, then the Page's /videos edge).

What the code relies on, read in Meta's documentation (2026-12):

- Resumable Upload API (developers.facebook.com/docs/graph-api/guides/upload): `POST
  /{app-id}/uploads` with `file_name`, `file_length`, `file_type` (video/mp4) answers
  `{"id": "upload:<SESSION>"}`; `POST /upload:<SESSION>` with the headers `Authorization:
  OAuth <token>` and `file_offset: <N>` and the bytes as the body answers `{"h": <handle>}`;
  `GET /upload:<SESSION>` with the same header answers `{"id", "file_offset"}`, where an
  interrupted upload resumes. The session id may carry a query (`?sig=...`): it is opaque.
- Video API publishing guide (developers.facebook.com/docs/video-api/guides/publishing):
  `POST /{page-id}/videos` with `title`, `description` and `fbuploader_video_file_chunk=<h>`
  answers `{"id": <video id>}`; a Page access token from someone with the CREATE_CONTENT task
  and `pages_show_list`, `pages_read_engagement`, `pages_manage_posts`. The reference of the
  Page's videos edge adds `thumb` (the thumbnail, a file), `published` and
  `scheduled_publish_time`.
- Video API overview: `graph-video.facebook.com` is deprecated; everything goes to
  `graph.facebook.com`.
- Error handling guide: errors are `{"error": {"message", "type", "code", "error_subcode",
  "fbtrace_id"}}`; 190 is an expired or revoked token; 4, 17, 32, 613 (and 80001 for Pages
  under Business Use Case limits) are rate limits; 1 and 2 are temporary.
- Rate limiting guide: Page access tokens are counted by Business Use Case limits, reported in
  the `X-Business-Use-Case-Usage` header (percentages of `call_count`, `total_cputime`,
  `total_time`, and `estimated_time_to_regain_access` in minutes); `X-App-Usage` for others.
- Securing requests: `appsecret_proof` = HMAC-SHA256 of the access token keyed by the app
  secret, sent with every call.

Not found in those pages, hence media-hub's own and settings (see `settings.py`): the longest
title and description a video takes, and the window of `scheduled_publish_time` for videos (the
Pages posts guide gives 10 minutes to 6 months for posts; media-hub keeps 30 days by default).
"""

FACEBOOK = "facebook"  # the platform's name in series.toml, settings and catalog rows
