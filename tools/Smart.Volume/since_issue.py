#!/usr/bin/env python3
"""Drives the running app (BASE) through a late publication of the Belgian author-rights bands and a since-issue run over YEAR; prints
documents compared per second. usage: python3 tools/Smart.Volume/since_issue.py BASE YEAR (the app running on a generated year, e.g. as ./volume.sh load starts it)"""
import html, json, re, sys, time, urllib.error, urllib.parse, urllib.request

base, year = sys.argv[1], int(sys.argv[2])

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(NoRedirect)

class Session:
    def __init__(self): self.cookies = {}
    def request(self, path, data=None):
        while True:
            req = urllib.request.Request(base + path, data=urllib.parse.urlencode(data).encode() if data is not None else None)
            if self.cookies: req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
            try:
                resp = opener.open(req, timeout=600); status = resp.status
            except urllib.error.HTTPError as e:
                resp = e; status = e.code
            for h in resp.headers.get_all("Set-Cookie") or []:
                k, v = h.split(";")[0].split("=", 1); self.cookies[k] = v
            body = resp.read().decode()
            if status in (301, 302, 303):
                path = resp.headers["Location"]; data = None
                if path.startswith(base): path = path[len(base):]
                continue
            if status != 200: raise SystemExit(f"{path}: {status}\n{body[:2000]}")
            self.path = path
            return body
    def token(self, page, form_id=None):
        if form_id:
            page = page[page.index(f'id="{form_id}"') - 400:]
        return html.unescape(re.search(r'name="__RequestVerificationToken" type="hidden" value="([^"]*)"', page).group(1))
    def sign_in(self, email):
        page = self.request("/Account/SignIn")
        self.request("/Account/SignIn", {"Data.Email": email, "Data.Password": "Demo-2026!", "__RequestVerificationToken": self.token(page)})

compliance = Session(); compliance.sign_in("compliance@smart.coop")
key = "be/author-rights.json"
page = compliance.request("/Rules/RuleSet?key=" + urllib.parse.quote(key))
action = html.unescape(re.search(r'<form method="post" action="([^"]*NewDraft[^"]*)"', page).group(1))
page = compliance.request(action, {"__RequestVerificationToken": compliance.token(page)})
draft = int(re.search(r"/Rules/(?:Version|Edit)/(\d+)", compliance.path).group(1))
page = compliance.request(f"/Rules/Edit/{draft}")
text = html.unescape(re.search(r'<textarea[^>]*name="Data.Text"[^>]*>(.*?)</textarea>', page, re.S).group(1)).lstrip("\n")
revision = re.search(r'name="Data.Revision" value="([^"]*)"', page).group(1)
file = json.loads(text)
for name in ("FirstBandUpper", "SecondBandUpper"):
    entry = next(v for v in file["parameters"][name]["values"] if v["from"] == f"{year}-01-01")
    entry["value"] = entry["value"] + 1000
file["tests"] = [t for t in file["tests"] if not t["input"]["date"].startswith(str(year))]
page = compliance.request(f"/Rules/Edit/{draft}", {"Data.Revision": revision, "Data.Text": json.dumps(file, indent=2, ensure_ascii=False),
                                                    "__RequestVerificationToken": compliance.token(page, "edit-form")})
page = compliance.request(f"/Rules/Version/{draft}")
compliance.request(f"/Rules/Version/{draft}?handler=Submit", {"SubmitForm.Reason": "the year's bands published late (measurement)",
                                                             "__RequestVerificationToken": compliance.token(page, "submit-form")})
approver = Session(); approver.sign_in("approver@smart.coop")
page = approver.request(f"/Rules/Version/{draft}")
approver.request(f"/Rules/Version/{draft}?handler=Publish", {"ReviewForm.Comment": "", "__RequestVerificationToken": approver.token(page, "publish-form")})
time.sleep(1)
page = compliance.request(f"/Rules/Simulations/SinceIssue/{draft}")
started = time.time()
compliance.request(f"/Rules/Simulations/SinceIssue/{draft}", {"Data.From": f"{year}-01-01", "Data.To": f"{year}-12-31",
                                                              "__RequestVerificationToken": compliance.token(page, "since-issue-form")})
run = compliance.path
while True:
    page = compliance.request(run)
    status = re.search(r'data-status="(\w+)"', page).group(1)
    if status in ("Done", "Failed", "Cancelled"): break
    time.sleep(2)
elapsed = time.time() - started
field = lambda f: re.search(rf'data-field="{f}">([^<]*)<', page).group(1)
done = int(re.sub(r"\D", "", field("done")))
print(f"since issue on {run}: status {status}, {field('total')} in the period, {done:,} compared in {elapsed:.1f} s ({done / elapsed:,.0f} per second)")
m = re.search(r'data-field="affected">([^<]*)<', page)
if m: print("affected:", m.group(1))
