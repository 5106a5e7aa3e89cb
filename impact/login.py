"""The login gate: nothing of the dashboard is drawn before it lets a session in, and it says with which role.

- An accounts file with accounts (impact/accounts.py): a French login form, failures slowed down per
  identifier and per client, a session that ends after IMPACT_SESSION_MINUTES of inactivity (60 by default).
- No account, server bound to this machine only (127.0.0.1, the laptop): coordination, no login, as before.
- No account, server reachable from the network (another address, or a reverse proxy in front): no figure,
  only the command that creates the first account.
Every login, failure, logout and expiry goes to the journal (impact/journal.py).
"""

from __future__ import annotations

import os
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from impact import accounts, fmt, journal

SESSION_KEY = "_compte"
MESSAGE_KEY = "_compte_message"
DEFAULT_PAGE = "vue_ensemble"  # the default page of dashboard.py
LOCAL_ADDRESSES = {"127.0.0.1", "localhost", "::1"}
FIRST_ACCOUNT_COMMAND = "python -m impact compte ajouter VOTRE_IDENTIFIANT --role coordination"
ROLE_LABELS = {accounts.COORDINATION: "coordination", accounts.LECTURE: "lecture seule"}

LOGIN_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"] { display: none; }
/* Streamlit's English hint under a form field ("Press Enter to submit form"). */
[data-testid="InputInstructions"] { display: none; }
.block-container { max-width: 40rem; }
</style>
"""


_now = time.time  # the clock of idle time (a test moves it forward)


@dataclass(frozen=True)
class Session:
    role: str
    identifiant: str | None  # None: a laptop without accounts (no login, nothing to log out of)


def idle_minutes() -> float:
    """Inactivity after which a session ends: $IMPACT_SESSION_MINUTES, 60 by default."""
    try:
        minutes = float(os.environ.get("IMPACT_SESSION_MINUTES", "60"))
    except ValueError:
        minutes = 60.0
    return minutes if minutes > 0 else 60.0


def is_local_address(address: str | None) -> bool:
    """Streamlit binds every interface when server.address is empty: only an explicit loopback is local."""
    address = (address or "").strip().strip("[]")
    return address in LOCAL_ADDRESSES or address.startswith("127.")


PROXY_HEADERS = ("X-Forwarded-For", "X-Real-Ip", "X-Forwarded-Proto", "Forwarded")


def served_locally() -> bool:
    """No login without accounts only for this machine: bound to a loopback address, and not reached
    through a reverse proxy (which makes a 127.0.0.1 server reachable from the network and announces
    itself with forwarding headers)."""
    if not is_local_address(st.get_option("server.address")):
        return False
    headers = st.context.headers
    return not any(headers.get(h) for h in PROXY_HEADERS)


def client_key() -> str:
    """The best available name of the client, for slowing down failures: the connection's address, or,
    behind a reverse proxy on this machine (Streamlit sees no address then), the address it forwards."""
    ip = st.context.ip_address
    if not ip:
        headers = st.context.headers
        ip = headers.get("X-Real-Ip") or (headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
    return "client:" + (ip or "local")


@st.cache_resource
def _throttle() -> accounts.Throttle:
    """One per server process: failures count across every browser session."""
    return accounts.Throttle()


def identifiant() -> str | None:
    """The identifier of the logged-in account (None on a laptop without accounts)."""
    return (st.session_state.get(SESSION_KEY) or {}).get("identifiant")


def gate() -> Session:
    """The session's role, or draw the login page (or the first-account notice) and stop the script."""
    try:
        comptes = accounts.load()
    except (OSError, tomllib.TOMLDecodeError):
        # Fail closed: a damaged accounts file never opens the dashboard to everyone.
        _page_style()
        st.title("Connexion impossible")
        st.error(
            "Le fichier des comptes est illisible. Vérifiez-le sur le serveur (`python -m impact compte "
            "lister`) ou recréez les comptes."
        )
        st.stop()
    if not comptes:
        if served_locally():
            return Session(accounts.COORDINATION, None)
        _first_account_page()
        st.stop()

    auth = st.session_state.get(SESSION_KEY)
    if auth:
        role = comptes[auth["identifiant"]].role if auth["identifiant"] in comptes else None
        now = _now()
        if role is None:
            _end_session(None, "Ce compte n'existe plus : connectez-vous avec un autre compte.")
        elif now - auth["vu"] > idle_minutes() * 60:
            journal.record_quietly("session_expiree", auth["identifiant"])
            _end_session(
                None,
                f"Votre session a pris fin après {_minutes(idle_minutes())} sans activité : reconnectez-vous.",
            )
        else:
            auth["vu"] = now
            return Session(role, auth["identifiant"])
    _login_page()
    st.stop()


def session_alive() -> bool:
    """Whether the gate would let this session through now, without drawing anything: a page checks it
    before drawing (a page can run without dashboard.py, see view.context)."""
    try:
        comptes = accounts.load()
    except (OSError, tomllib.TOMLDecodeError):
        return False
    if not comptes:
        return served_locally()
    auth = st.session_state.get(SESSION_KEY)
    return bool(auth) and auth["identifiant"] in comptes and _now() - auth["vu"] <= idle_minutes() * 60


def _minutes(m: float) -> str:
    return fmt.plural(round(m), "minute")


def _page_style() -> None:
    st.markdown(LOGIN_CSS, unsafe_allow_html=True)
    _keep_requested_page()


def _end_session(event: str | None, message: str | None) -> None:
    auth = st.session_state.get(SESSION_KEY) or {}
    if event:
        journal.record_quietly(event, auth.get("identifiant"))
    # Everything the session held goes (filters, context): the next person starts from the login form.
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    if message:
        st.session_state[MESSAGE_KEY] = message


def logout() -> None:
    """Button callback: end the session now."""
    _end_session("deconnexion", "Vous êtes déconnecté.")


def _keep_requested_page() -> None:
    """Register the dashboard's pages, hidden and never run, so that the address asked for (/sorties?...)
    stays the one the dashboard opens after login. Same addresses as dashboard.py (the file names): a
    page's identity is its address."""
    pages_dir = Path(__file__).resolve().parents[1] / "pages"
    st.navigation(
        [
            st.Page(p, title="Connexion", url_path=p.stem, default=p.stem == DEFAULT_PAGE)
            for p in sorted(pages_dir.glob("*.py"))
        ],
        position="hidden",
    )


def _login_page() -> None:
    _page_style()
    st.title("Tableau de bord d'impact")
    st.markdown("Collectif des Mauges pour l'Emploi — connectez-vous pour voir les chiffres.")
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message:
        st.info(message)
    with st.form("connexion", enter_to_submit=True):
        identifiant = st.text_input("Identifiant", autocomplete="username", max_chars=64)
        password = st.text_input(
            "Mot de passe", type="password", autocomplete="current-password", max_chars=256
        )
        submitted = st.form_submit_button("Se connecter", type="primary", icon=":material/login:")
    if not submitted:
        return
    identifiant = identifiant.strip()
    keys = ("identifiant:" + identifiant.lower(), client_key())
    throttle = _throttle()
    wait = throttle.wait(*keys)
    if wait > 0:
        journal.record_quietly("echec_connexion", identifiant or None, resultat="attente")
        st.error(f"Trop d'essais infructueux : réessayez dans {max(1, round(wait))} s.")
        return
    role = accounts.verify(identifiant, password) if identifiant and password else None
    if role is None:
        throttle.failure(*keys)
        journal.record_quietly("echec_connexion", identifiant or None, resultat="refuse")
        st.error("Identifiant ou mot de passe incorrect.")
        return
    throttle.success(*keys)
    st.session_state[SESSION_KEY] = {"identifiant": identifiant, "vu": _now()}
    journal.record_quietly("connexion", identifiant, role=role)
    st.rerun()


def _first_account_page() -> None:
    _page_style()
    st.title("Tableau de bord d'impact")
    st.warning(
        "Ce tableau de bord est accessible depuis le réseau et aucun compte n'existe encore : il n'affiche "
        "rien tant qu'un compte n'a pas été créé."
    )
    st.markdown("Sur le serveur, créez le premier compte (le mot de passe est demandé deux fois) :")
    st.code(FIRST_ACCOUNT_COMMAND, language="bash", wrap_lines=True)
    st.markdown("Puis rechargez cette page.")


def account_box(session: Session, presentation: bool, box=None) -> None:
    """Who is connected and "Se déconnecter": in the sidebar (or the given sidebar container), and in the
    page when the sidebar is hidden (presentation mode)."""
    if session.identifiant is None:
        return
    box = box or st.sidebar
    box.caption(f"Connecté : **{session.identifiant}** ({ROLE_LABELS[session.role]})")
    if session.role == accounts.LECTURE:
        box.caption(
            "Accès en lecture : les effectifs de moins de 5 personnes sont toujours masqués, et les filtres "
            "prennent une année et une commune (voir leur aide)."
        )
    box.button("Se déconnecter", icon=":material/logout:", key="deconnexion", on_click=logout)
    if presentation:
        st.button("Se déconnecter", icon=":material/logout:", key="deconnexion_presentation", on_click=logout)
