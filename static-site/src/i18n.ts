import { emit } from './events';

export type Lang = 'fr' | 'en';

const fr = {
  'app.title': 'Marché Local',
  'app.tagline': 'Produits frais et artisanaux',
  'app.skip': 'Aller au contenu',
  'nav.home': 'Accueil',
  'nav.history': 'Historique',
  'nav.logout': 'Déconnexion',
  'nav.lang': 'Langue',
  'nav.user': 'Connecté : {user}',
  'nav.main': 'Navigation principale',

  'login.title': 'Connexion',
  'login.intro': 'Connectez-vous ou créez un compte pour passer commande.',
  'login.username': "Nom d'utilisateur",
  'login.password': 'Mot de passe',
  'login.submit': 'Se connecter',
  'login.register': "S'inscrire",
  'login.busy': 'Envoi…',
  'login.registered': 'Inscription réussie. Connectez-vous maintenant.',
  'login.missing': 'Veuillez remplir tous les champs.',
  'login.rateLimited': 'Trop de tentatives, réessayez dans {seconds} s.',
  'login.sessionExpired': 'Votre session a expiré, veuillez vous reconnecter.',
  'login.loggedOut': 'Vous êtes déconnecté.',
  'login.demo': 'Compte de démonstration en local : test / 1234',

  'home.title': 'Liste des articles et panier',
  'home.intro': 'Sélectionnez les quantités puis validez votre commande.',
  'home.article': 'Article',
  'home.unitPrice': 'Prix unitaire',
  'home.quantity': 'Quantité',
  'home.quantityOf': 'Quantité de {article}',
  'home.lineTotal': 'Sous-total',
  'home.total': 'Total',
  'home.buy': 'Acheter le panier',
  'home.buying': 'Paiement en cours…',
  'home.emptyCart': 'Veuillez sélectionner au moins un article.',
  'home.clear': 'Vider le panier',
  'home.loading': 'Chargement du catalogue…',
  'home.loadFailed': 'Impossible de charger le catalogue.',
  'home.retry': 'Réessayer',
  'home.locked': 'Panier verrouillé : une commande est en cours de vérification, ne la repassez pas.',
  'home.follow': 'Suivre la commande',
  'home.retrySame': 'Ce panier n’a pas été débité : « Acheter le panier » renvoie la même commande, sans double paiement.',
  'home.settledPaid': 'Votre commande en cours de vérification est confirmée : payée.',
  'home.settledNotPaid': 'Votre commande en cours de vérification n’a pas été payée.',
  'home.seeResult': 'Voir le résultat',

  'result.title': 'Résultat de la commande',
  'result.ok': 'Commande réussie !',
  'result.okDetail': 'Merci pour votre commande, {user}.',
  'result.authDetail': "Votre jeton d'authentification a expiré ou est invalide. Veuillez vous reconnecter.",
  'result.declined': 'Paiement refusé !',
  'result.unavailable': 'Service indisponible, veuillez réessayer plus tard.',
  'result.pending': 'Paiement en cours de vérification : ne repassez pas commande.',
  'result.pendingDetail': 'Cette page suit la commande et affichera son résultat final d’elle-même.',
  'result.auth': 'Accès refusé !',
  'result.error': 'La commande a échoué',
  'result.orderId': 'Numéro de commande :',
  'result.summary': 'Récapitulatif',
  'result.back': "Retour à l'accueil",
  'result.none': 'Aucune commande en cours.',

  'history.title': 'Historique des commandes',
  'history.empty': "Vous n'avez encore passé aucune commande.",
  'history.date': 'Date',
  'history.order': 'Commande',
  'history.items': 'Articles',
  'history.total': 'Total',
  'history.status': 'Statut',
  'history.more': 'Charger plus',
  'history.loading': 'Chargement…',
  'history.loadFailed': "Impossible de charger l'historique.",
  'history.count': '{count} commande(s) affichée(s)',

  'status.PAID': 'Payée',
  'status.DECLINED': 'Refusée',
  'status.FAILED': 'Échec (service)',
  'status.PENDING': 'En attente',

  'error.network': "L'API est injoignable ({url}).",
  'error.generic': 'Erreur inattendue (HTTP {status}).',

  'panel.title': 'Panneau pédagogique',
  'panel.toggle': 'Panneau pédagogique',
  'panel.token': 'Jeton d’accès (JWT)',
  'panel.noToken': 'Aucun jeton : non connecté.',
  'panel.header': 'En-tête',
  'panel.claims': 'Revendications (claims)',
  'panel.expiresIn': 'Expire dans {time}',
  'panel.expired': 'Expiré',
  'panel.refreshStored': 'Jeton de rafraîchissement : conservé dans sessionStorage (onglet courant).',
  'panel.refreshMissing': 'Aucun jeton de rafraîchissement.',
  'panel.refreshNow': 'Rafraîchir maintenant',
  'panel.tokenMemory': 'Jeton d’accès gardé en mémoire uniquement (perdu au rechargement, renouvelé via le jeton de rafraîchissement).',
  'panel.breaker': 'Disjoncteur (circuit breaker)',
  'panel.breaker.closed': 'fermé',
  'panel.breaker.open': 'ouvert',
  'panel.breaker.half-open': 'semi-ouvert',
  'panel.breaker.unknown': 'inconnu',
  'panel.retryIn': 'essai possible dans {seconds} s',
  'panel.breakerHelp': 'Fermé : les paiements passent. Ouvert : la banque est court-circuitée, réponse 503 immédiate. Semi-ouvert : un essai décide.',
  'panel.bankNow': 'Banque : succès {rate} %, latence {latency} ms, {down}',
  'panel.bankDown': 'en panne',
  'panel.bankUp': 'en service',
  'panel.healthFailed': 'Santé indisponible',
  'panel.updated': 'Mis à jour à {time}',
  'panel.chaos': 'Pannes de la banque (chaos)',
  'panel.successRate': 'Taux de succès des paiements (%)',
  'panel.latency': 'Latence de la banque (ms)',
  'panel.down': 'Banque en panne',
  'panel.lostAnswers': 'Réponses perdues par la banque (%)',
  'panel.apply': 'Appliquer',
  'panel.applied': 'Réglages enregistrés : la banque les applique d’ici une seconde.',
  'panel.chaosUnavailable': 'Contrôles de pannes indisponibles : ce site ne connaît pas l’adresse de la banque, ou la banque ne les ouvre pas.',
  'panel.log': 'Journal des requêtes',
  'panel.logEmpty': 'Aucune requête pour le moment.',
  'panel.logClear': 'Effacer',
  'panel.logPolls': 'Inclure le sondage /api/health',
  'panel.logCaption': 'Requêtes récentes : méthode, route, statut, durée',
} as const;

export type MessageKey = keyof typeof fr;

const en: Record<MessageKey, string> = {
  'app.title': 'Marché Local',
  'app.tagline': 'Fresh and handmade produce',
  'app.skip': 'Skip to content',
  'nav.home': 'Home',
  'nav.history': 'History',
  'nav.logout': 'Log out',
  'nav.lang': 'Language',
  'nav.user': 'Signed in: {user}',
  'nav.main': 'Main navigation',

  'login.title': 'Sign in',
  'login.intro': 'Sign in or create an account to place an order.',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.register': 'Register',
  'login.busy': 'Sending…',
  'login.registered': 'Registration successful. Sign in now.',
  'login.missing': 'Please fill in every field.',
  'login.rateLimited': 'Too many attempts, try again in {seconds} s.',
  'login.sessionExpired': 'Your session has expired, please sign in again.',
  'login.loggedOut': 'You are signed out.',
  'login.demo': 'Local demo account: test / 1234',

  'home.title': 'Articles and cart',
  'home.intro': 'Choose the quantities, then confirm your order.',
  'home.article': 'Article',
  'home.unitPrice': 'Unit price',
  'home.quantity': 'Quantity',
  'home.quantityOf': 'Quantity of {article}',
  'home.lineTotal': 'Subtotal',
  'home.total': 'Total',
  'home.buy': 'Buy the cart',
  'home.buying': 'Paying…',
  'home.emptyCart': 'Please select at least one article.',
  'home.clear': 'Empty the cart',
  'home.loading': 'Loading the catalogue…',
  'home.loadFailed': 'Could not load the catalogue.',
  'home.retry': 'Retry',
  'home.locked': 'Cart locked: an order is being verified, do not place it again.',
  'home.follow': 'Follow the order',
  'home.retrySame': 'This cart was not charged: “Buy the cart” sends the same order again, with no double charge.',
  'home.settledPaid': 'Your order that was being verified is confirmed: paid.',
  'home.settledNotPaid': 'Your order that was being verified was not paid.',
  'home.seeResult': 'See the result',

  'result.title': 'Order result',
  'result.ok': 'Order placed!',
  'result.okDetail': 'Thank you for your order, {user}.',
  'result.authDetail': 'Your authentication token has expired or is invalid. Please sign in again.',
  'result.declined': 'Payment declined!',
  'result.unavailable': 'Service unavailable, please try again later.',
  'result.pending': 'Payment being verified: do not order again.',
  'result.pendingDetail': 'This page follows the order and will show its final result by itself.',
  'result.auth': 'Access denied!',
  'result.error': 'The order failed',
  'result.orderId': 'Order number:',
  'result.summary': 'Summary',
  'result.back': 'Back to home',
  'result.none': 'No order in progress.',

  'history.title': 'Order history',
  'history.empty': 'You have not placed any order yet.',
  'history.date': 'Date',
  'history.order': 'Order',
  'history.items': 'Articles',
  'history.total': 'Total',
  'history.status': 'Status',
  'history.more': 'Load more',
  'history.loading': 'Loading…',
  'history.loadFailed': 'Could not load the history.',
  'history.count': '{count} order(s) shown',

  'status.PAID': 'Paid',
  'status.DECLINED': 'Declined',
  'status.FAILED': 'Failed (service)',
  'status.PENDING': 'Pending',

  'error.network': 'The API cannot be reached ({url}).',
  'error.generic': 'Unexpected error (HTTP {status}).',

  'panel.title': 'Teaching panel',
  'panel.toggle': 'Teaching panel',
  'panel.token': 'Access token (JWT)',
  'panel.noToken': 'No token: not signed in.',
  'panel.header': 'Header',
  'panel.claims': 'Claims',
  'panel.expiresIn': 'Expires in {time}',
  'panel.expired': 'Expired',
  'panel.refreshStored': 'Refresh token: kept in sessionStorage (this tab only).',
  'panel.refreshMissing': 'No refresh token.',
  'panel.refreshNow': 'Refresh now',
  'panel.tokenMemory': 'Access token kept in memory only (lost on reload, renewed with the refresh token).',
  'panel.breaker': 'Circuit breaker',
  'panel.breaker.closed': 'closed',
  'panel.breaker.open': 'open',
  'panel.breaker.half-open': 'half-open',
  'panel.breaker.unknown': 'unknown',
  'panel.retryIn': 'trial call possible in {seconds} s',
  'panel.breakerHelp': 'Closed: payments go through. Open: the bank is short-circuited, immediate 503. Half-open: one trial call decides.',
  'panel.bankNow': 'Bank: success {rate} %, latency {latency} ms, {down}',
  'panel.bankDown': 'down',
  'panel.bankUp': 'up',
  'panel.healthFailed': 'Health unavailable',
  'panel.updated': 'Updated at {time}',
  'panel.chaos': 'Bank faults (chaos)',
  'panel.successRate': 'Payment success rate (%)',
  'panel.latency': 'Bank latency (ms)',
  'panel.down': 'Bank down',
  'panel.lostAnswers': 'Answers lost by the bank (%)',
  'panel.apply': 'Apply',
  'panel.applied': 'Settings saved: the bank applies them within a second.',
  'panel.chaosUnavailable': 'Fault controls unavailable: this site does not know the bank’s address, or the bank does not open them.',
  'panel.log': 'Request log',
  'panel.logEmpty': 'No request yet.',
  'panel.logClear': 'Clear',
  'panel.logPolls': 'Include /api/health polling',
  'panel.logCaption': 'Recent requests: method, route, status, duration',
};

const dictionaries: Record<Lang, Record<MessageKey, string>> = { fr, en };
const LANG_KEY = 'shop.lang';

function initialLang(): Lang {
  // The language preference is not sensitive, so it may outlive the tab.
  const stored = localStorage.getItem(LANG_KEY);
  return stored === 'en' ? 'en' : 'fr';
}

let current: Lang = initialLang();

export function lang(): Lang {
  return current;
}

export function locale(): string {
  return current === 'fr' ? 'fr-FR' : 'en-GB';
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  localStorage.setItem(LANG_KEY, next);
  document.documentElement.lang = next;
  emit('lang');
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return dictionaries[current][key].replace(/\{(\w+)\}/g, (match, name: string) => {
    const value = params[name];
    return value === undefined ? match : String(value);
  });
}
